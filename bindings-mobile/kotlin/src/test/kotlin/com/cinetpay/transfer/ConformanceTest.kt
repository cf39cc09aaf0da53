package com.cinetpay.transfer

import java.io.File
import java.time.Duration
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions
import org.junit.jupiter.api.DynamicTest
import org.junit.jupiter.api.TestFactory

/**
 * Runs every scenario of `tests/conformance/scenarios/` through the Kotlin API, one JUnit test per
 * file: the Kotlin port of `core/tests/conformance.rs` (format: `tests/conformance/README.md`).
 * Results and errors are turned into the README's snake_case JSON and matched partially against
 * `expect`. A scenario this runner cannot run is skipped with the reason in the report.
 */
class ConformanceTest {
    private val scenariosDir = File(System.getProperty("cinetpay.scenarios.dir") ?: "../../tests/conformance/scenarios")

    @TestFactory
    fun scenarios(): List<DynamicTest> {
        val files = scenariosDir.listFiles { f -> f.name.endsWith(".json") }?.sortedBy { it.name }.orEmpty()
        assertTrue(files.size >= 30, "at least 30 scenarios expected in ${scenariosDir.absolutePath}, found ${files.size}")
        return files.map { file ->
            DynamicTest.dynamicTest(file.nameWithoutExtension) { runScenario(JSONObject(file.readText())) }
        }
    }

    private fun runScenario(scenario: JSONObject) = runBlocking {
        val options = sandboxOptions(scenario.optJSONObject("sandbox") ?: JSONObject())
        Sandbox.start(*options.toTypedArray()).use { sandbox ->
            buildClient(scenario.optJSONObject("client") ?: JSONObject(), sandbox.baseUrl).use { client ->
                val saved = mutableMapOf<String, Any?>()
                scenario.getJSONArray("steps").forEachIndexed { n, raw ->
                    val step = substitute(raw, saved, null) as JSONObject
                    val repeat = step.optInt("repeat", 1)
                    val outcomes = (0 until repeat).map { i ->
                        val run = substitute(step, emptyMap(), i) as JSONObject
                        async(Dispatchers.Default) { run to runStep(run, client, sandbox) }
                    }.awaitAll()
                    for ((run, outcome) in outcomes) {
                        check(run, outcome)?.let { throw AssertionError("step $n (${describe(run)}): $it") }
                    }
                    val save = step.optJSONObject("save")
                    val first = outcomes.firstOrNull()?.second
                    if (save != null && first is Outcome.Ok) {
                        for (name in save.keySet()) {
                            val path = save.getString(name)
                            saved[name] = lookup(first.value, path)
                                ?: throw AssertionError("step $n: nothing at $path to save in ${first.value}")
                        }
                    }
                }
            }
        }
    }

    /** Command-line options for the scenario's sandbox section; skips when the binary lacks one. */
    private fun sandboxOptions(section: JSONObject): List<String> {
        val options = mutableListOf<String>()
        if (section.optString("quirks") == "documented") {
            Assumptions.assumeTrue(Sandbox.supports("--documented-quirks"), "skipped: the sandbox binary has no --documented-quirks")
            options += "--documented-quirks"
        }
        if (section.has("token_lifetime_seconds")) {
            Assumptions.assumeTrue(
                Sandbox.supports("--token-lifetime-seconds"),
                "skipped: the sandbox binary has no --token-lifetime-seconds",
            )
            options += listOf("--token-lifetime-seconds", section.get("token_lifetime_seconds").toString())
        }
        return options
    }

    private fun buildClient(section: JSONObject, baseUrl: String): Client {
        val retry = section.optJSONObject("retry") ?: JSONObject()
        val config = ClientConfig(
            baseUrl = baseUrl,
            lang = if (section.optString("lang") == "fr") Lang.FR else Lang.EN,
            retry = RetryPolicy(
                maxAttempts = retry.optInt("max_attempts", 3).toUInt(),
                initialBackoff = Duration.ofMillis(retry.optLong("initial_backoff_ms", 10)),
                maxBackoff = Duration.ofMillis(retry.optLong("max_backoff_ms", 50)),
            ),
            chunkSize = if (section.has("chunk_size")) section.getInt("chunk_size").toUInt() else null,
            maxConcurrency = if (section.has("max_concurrency")) section.getInt("max_concurrency").toUInt() else null,
            requestTimeout = Duration.ofMillis(section.optLong("request_timeout_ms", 2000)),
            processingWindow = Duration.ofMillis(section.optLong("processing_window_ms", 2500)),
        )
        return Client.withCredentials(
            config,
            section.optString("api_key", Sandbox.DEFAULT_API_KEY),
            section.optString("password", Sandbox.DEFAULT_PASSWORD),
        )
    }

    sealed class Outcome {
        data class Ok(val value: Any?) : Outcome()
        data class Err(val error: Any?) : Outcome()
    }

    private suspend fun runStep(step: JSONObject, client: Client, sandbox: Sandbox): Outcome {
        step.optString("admin").takeIf { it.isNotEmpty() }?.let { request ->
            val (status, json) = sandbox.admin(request, step.opt("body"))
            return if (status in 200..299) Outcome.Ok(json) else Outcome.Err(JSONObject().put("kind", "admin").put("http_status", status).put("detail", json))
        }
        val args = step.optJSONObject("args") ?: JSONObject()
        return try {
            Outcome.Ok(call(step.getString("call"), args, client))
        } catch (e: CinetPayException) {
            Outcome.Err(Json.error(e))
        }
    }

    private suspend fun call(name: String, args: JSONObject, client: Client): Any? = when (name) {
        "balance" -> Json.balance(client.balance())
        "add_contacts" -> JSONArray(client.addContacts(args.getJSONArray("contacts").objects().map(::contact)).map(Json::contactResult))
        "send" -> JSONArray(client.send(args.getJSONArray("transfers").objects().map(::transfer)).map(Json::sendResult))
        "pay" -> JSONArray(client.pay(args.getJSONArray("transfers").objects().map(::transfer)).map(Json::sendResult))
        "transfer_status" -> {
            val query = when {
                args.has("transaction_id") -> TransferQuery.TransactionId(args.getString("transaction_id"))
                args.has("client_transaction_id") -> TransferQuery.ClientTransactionId(args.getString("client_transaction_id"))
                else -> TransferQuery.Lot(args.optString("lot"))
            }
            JSONArray(client.transferStatus(query).map(Json::transferInfo))
        }
        "parse_notification" -> when (val event = parseNotification(args.optString("body"), args.optString("method", "POST"))) {
            is NotificationEvent.Ping -> "ping"
            is NotificationEvent.Transfer -> Json.notification(event.notification)
        }
        "confirm_notification" -> when (val event = parseNotificationFields(formFields(args))) {
            is NotificationEvent.Ping -> "ping"
            is NotificationEvent.Transfer -> Json.transferInfo(client.confirmNotification(event.notification))
        }
        "notification_reply" -> Json.notificationReply(client.replyToNotificationFields(args.optString("method", "POST"), formFields(args)))
        else -> throw AssertionError("unknown call $name")
    }

    /** The step's `fields` as posted form fields (a number's text for a number). */
    private fun formFields(args: JSONObject): Map<String, String> {
        val fields = args.optJSONObject("fields") ?: JSONObject()
        return fields.keySet().associateWith { k -> fields.get(k).let { v -> if (v is String) v else v.toString() } }
    }

    private fun contact(v: JSONObject) = Contact(
        prefix = v.optString("prefix"),
        phone = v.optString("phone"),
        name = v.optString("name"),
        surname = v.optString("surname"),
        email = v.optString("email"),
    )

    private fun transfer(v: JSONObject): Transfer {
        fun opt(k: String): String? = if (v.has(k) && !v.isNull(k)) v.getString(k) else null
        return Transfer(
            prefix = v.optString("prefix"),
            phone = v.optString("phone"),
            amount = v.getLong("amount"),
            notifyUrl = v.optString("notify_url"),
            clientTransactionId = opt("client_transaction_id"),
            paymentMethod = opt("payment_method"),
            name = opt("name"),
            surname = opt("surname"),
            email = opt("email"),
        )
    }

    private fun describe(step: JSONObject): String = (step.opt("call") ?: step.opt("admin")).toString()

    /** Null when the outcome matches the step's `expect`, else what is wrong. */
    private fun check(step: JSONObject, outcome: Outcome): String? {
        val expect = step.optJSONObject("expect") ?: JSONObject()
        return when {
            outcome is Outcome.Ok && !expect.has("error") -> if (expect.has("ok")) Json.match(expect.get("ok"), outcome.value, "result") else null
            outcome is Outcome.Err && expect.has("error") -> Json.match(expect.get("error"), outcome.error, "error")
            outcome is Outcome.Ok -> "expected an error, got ${outcome.value}"
            else -> "unexpected error ${(outcome as Outcome.Err).error}"
        }
    }

    private fun lookup(value: Any?, path: String): Any? =
        path.split('.').filter { it.isNotEmpty() }.fold(value) { v, key ->
            when (v) {
                is JSONArray -> key.toIntOrNull()?.let { v.opt(it) }
                is JSONObject -> v.opt(key)
                else -> null
            }
        }

    /** `${name}` becomes a saved value (the value itself when the string is exactly that), `${i}` the repeat index. */
    private fun substitute(value: Any?, saved: Map<String, Any?>, index: Int?): Any? = when (value) {
        is String -> {
            val whole = value.removeSurrounding("\${", "}")
            if (whole != value && saved.containsKey(whole)) {
                saved[whole]
            } else {
                var out: String = value
                for ((name, v) in saved) out = out.replace("\${$name}", v.toString())
                if (index != null) out = out.replace("\${i}", index.toString())
                out
            }
        }
        is JSONArray -> JSONArray((0 until value.length()).map { substitute(value.get(it), saved, index) })
        is JSONObject -> JSONObject().also { o -> value.keySet().forEach { k -> o.put(k, substitute(value.get(k), saved, index) ?: JSONObject.NULL) } }
        else -> value
    }
}

private fun JSONArray.objects(): List<JSONObject> = (0 until length()).map { getJSONObject(it) }

private inline fun JSONArray.forEachIndexed(action: (Int, Any?) -> Unit) {
    for (i in 0 until length()) action(i, get(i))
}
