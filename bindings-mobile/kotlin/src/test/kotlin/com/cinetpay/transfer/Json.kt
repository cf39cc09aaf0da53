package com.cinetpay.transfer

import org.json.JSONArray
import org.json.JSONObject

/**
 * The Kotlin results as the conformance README's snake_case JSON, and its partial matcher
 * (`$len`, `$each`). Kept apart from the runner so the mapping of every field is in one place.
 */
object Json {
    private fun JSONObject.putOpt2(key: String, value: Any?): JSONObject = put(key, value ?: JSONObject.NULL)

    /** The stable kind name, by an exhaustive `when` over the sealed hierarchy (no `else`). */
    fun kindName(e: CinetPayException): String = when (e) {
        is CinetPayException.Authentication -> "authentication"
        is CinetPayException.Validation -> "validation"
        is CinetPayException.InsufficientBalance -> "insufficient_balance"
        is CinetPayException.NotFound -> "not_found"
        is CinetPayException.NotAContact -> "not_a_contact"
        is CinetPayException.DuplicateTransaction -> "duplicate_transaction"
        is CinetPayException.OperatorUnavailable -> "operator_unavailable"
        is CinetPayException.Service -> "service"
        is CinetPayException.Transport -> "transport"
        is CinetPayException.OutcomeUnknown -> "outcome_unknown"
        is CinetPayException.Protocol -> "protocol"
        is CinetPayException.NotificationMismatch -> "notification_mismatch"
    }

    fun error(e: CinetPayException): JSONObject {
        val json = details(e.details())
        check(json.getString("kind") == kindName(e)) { "details().kind ${json.get("kind")} disagrees with class ${e::class.simpleName}" }
        return json
    }

    /** `notifyUrl` -> `notify_url`: Kotlin's `field` values back in the scenarios' (the core's) spelling. */
    fun snakeName(field: String): String = field.replace(Regex("[A-Z]")) { "_" + it.value.lowercase() }

    fun details(d: ErrorDetails): JSONObject = JSONObject()
        .put("kind", d.kind.name.lowercase())
        .putOpt2("code", d.code)
        .putOpt2("api_message", d.apiMessage)
        .putOpt2("description", d.description)
        .putOpt2("http_status", d.httpStatus)
        .putOpt2("field", d.field?.let(::snakeName))
        .putOpt2("index", d.index)
        .put("client_transaction_ids", JSONArray(d.clientTransactionIds))
        .put("detail", d.detail)

    fun balance(b: Balance): JSONObject = JSONObject()
        .put("amount", b.amount)
        .put("in_using", b.inUsing)
        .put("available", b.available)
        .put(
            "countries",
            JSONObject().also { o ->
                b.countries.forEach { (code, c) ->
                    o.put(code, JSONObject().put("available", c.available).putOpt2("amount", c.amount).putOpt2("in_using", c.inUsing))
                }
            },
        )

    fun contactResult(r: ContactResult): JSONObject = JSONObject()
        .put("prefix", r.prefix)
        .put("phone", r.phone)
        .put("added", r.added)
        .put("already_existed", r.alreadyExisted)
        .put("code", r.code)
        .putOpt2("lot", r.lot)
        .putOpt2("error", r.error?.let(::details))

    fun sendResult(r: SendResult): JSONObject = JSONObject()
        .put("client_transaction_id", r.clientTransactionId)
        .put("prefix", r.prefix)
        .put("phone", r.phone)
        .put("amount", r.amount)
        .put("outcome", r.outcome.name.lowercase())
        .putOpt2("transaction_id", r.transactionId)
        .putOpt2("lot", r.lot)
        .putOpt2("treatment_status", r.treatmentStatus?.wireValue())
        .putOpt2("error", r.error?.let(::details))

    fun transferInfo(i: TransferInfo): JSONObject = JSONObject()
        .put("transaction_id", i.transactionId)
        .putOpt2("client_transaction_id", i.clientTransactionId)
        .putOpt2("lot", i.lot)
        .put("amount", i.amount)
        .putOpt2("receiver", i.receiver)
        .putOpt2("receiver_e164", i.receiverE164)
        .putOpt2("operator", i.operator)
        .putOpt2("sending_status", i.sendingStatus?.wireValue())
        .putOpt2("transfer_valid", i.transferValid)
        .put("treatment_status", i.treatmentStatus.wireValue())
        .putOpt2("comment", i.comment)
        .putOpt2("validated_at", i.validatedAt)
        .putOpt2("operator_transaction_id", i.operatorTransactionId)

    fun notification(n: Notification): JSONObject = JSONObject()
        .put("transaction_id", n.transactionId)
        .putOpt2("client_transaction_id", n.clientTransactionId)
        .putOpt2("lot", n.lot)
        .putOpt2("amount", n.amount)
        .putOpt2("receiver", n.receiver)
        .putOpt2("sending_status", n.sendingStatus)
        .putOpt2("treatment_status", n.treatmentStatus?.wireValue())
        .putOpt2("comment", n.comment)
        .putOpt2("operator_transaction_id", n.operatorTransactionId)
        .putOpt2("operator", n.operator)
        .putOpt2("validated_at", n.validatedAt)

    fun notificationReply(r: NotificationReply): JSONObject = JSONObject()
        .put("status", r.status)
        .put("body", r.body)
        .put("reason", r.reason)
        .putOpt2("notification", r.notification?.let(::notification))
        .putOpt2("transfer", r.transfer?.let(::transferInfo))

    /** Null when `actual` matches `pattern` partially (README "Patterns"), else the first difference. */
    fun match(pattern: Any?, actual: Any?, path: String): String? {
        val a = if (actual == null) JSONObject.NULL else actual
        return when {
            pattern is JSONObject && (pattern.has("\$len") || pattern.has("\$each")) -> {
                if (a !is JSONArray) return "$path: expected a list, got $a"
                if (pattern.has("\$len") && a.length() != pattern.getInt("\$len")) {
                    return "$path: expected ${pattern.getInt("\$len")} items, got ${a.length()}: $a"
                }
                if (pattern.has("\$each")) {
                    for (i in 0 until a.length()) match(pattern.get("\$each"), a.get(i), "$path[$i]")?.let { return it }
                }
                null
            }
            pattern is JSONObject -> {
                if (a !is JSONObject) return "$path: expected an object, got $a"
                for (key in pattern.keySet()) {
                    match(pattern.get(key), a.opt(key), "$path.$key")?.let { return it }
                }
                null
            }
            pattern is JSONArray -> {
                if (a !is JSONArray) return "$path: expected a list, got $a"
                if (a.length() != pattern.length()) return "$path: expected ${pattern.length()} items, got ${a.length()}: $a"
                for (i in 0 until pattern.length()) match(pattern.get(i), a.get(i), "$path[$i]")?.let { return it }
                null
            }
            pattern is Number && a is Number -> if (pattern.toDouble() == a.toDouble()) null else "$path: expected $pattern, got $a"
            pattern == a || (JSONObject.NULL.equals(pattern) && JSONObject.NULL.equals(a)) -> null
            else -> "$path: expected $pattern, got $a"
        }
    }
}
