package com.cinetpay.transfer

import java.net.URLEncoder
import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * `Client.lookUp` and `Client.replyToNotification` are the core's rules (issue 12): the binding
 * only converts. Checked against the sandbox, which holds what was really sent.
 */
class LookUpTest {
    private val notifyUrl = "http://127.0.0.1:9/notify"

    @Test
    fun `lookUp compares what the service holds under an id with the payout - found, conflict, notFound`() = runBlocking {
        Sandbox.start().use { sandbox ->
            sandbox.credentialsClient().use { client ->
                val payout = Transfer("225", "0701020304", 500, notifyUrl, "look-1")
                val sent = client.pay(listOf(payout)).single()
                assertEquals(SendOutcome.ACCEPTED, sent.outcome)

                val found = client.lookUp(payout)
                check(found is PayoutLookup.Found) { "expected Found, got $found" }
                assertEquals("look-1", found.transfer.clientTransactionId)
                assertEquals(sent.transactionId, found.transfer.transactionId)

                val conflict = client.lookUp(payout.copy(amount = 600))
                check(conflict is PayoutLookup.Conflict) { "expected Conflict, got $conflict" }
                assertEquals(500L, conflict.transfer.amount)

                assertEquals(PayoutLookup.NotFound, client.lookUp(payout.copy(clientTransactionId = "look-never-sent")))

                val before = (sandbox.adminOk("GET /requests") as JSONObject).getInt("received")
                val e = assertThrows<CinetPayException.Validation> {
                    runBlocking { client.lookUp(payout.copy(clientTransactionId = null)) }
                }
                assertEquals("clientTransactionId", e.field)
                assertEquals(before, (sandbox.adminOk("GET /requests") as JSONObject).getInt("received"), "no request for a refused input")
            }
        }
    }

    @Test
    fun `replyToNotification answers what the core decides, from a raw body or decoded fields`() = runBlocking {
        Sandbox.start().use { sandbox ->
            sandbox.credentialsClient().use { client ->
                assertEquals(200, client.replyToNotification("GET", "").status, "a ping")
                val unreadable = client.replyToNotification("POST", "amount=12")
                assertEquals(400, unreadable.status, unreadable.reason)
                assertNull(unreadable.transfer)
                assertEquals(413, client.replyToNotification("POST", "x".repeat(64 * 1024 + 1)).status)

                val sent = client.pay(listOf(Transfer("225", "0701020304", 500, notifyUrl, "reply-1"))).single()
                assertEquals(SendOutcome.ACCEPTED, sent.outcome)
                sandbox.advanceClock(20.0)
                val posted = sandbox.notifications(waitFor = 1).getJSONObject(0).getJSONObject("fields")
                val fields = posted.keySet().associateWith { posted.getString(it) }

                val confirmed = client.replyToNotificationFields("POST", fields)
                assertEquals(200, confirmed.status, confirmed.reason)
                assertEquals(sent.transactionId, confirmed.transfer?.transactionId)
                assertEquals(sent.transactionId, confirmed.notification?.transactionId)

                val body = fields.entries.joinToString("&") { (k, v) -> "$k=${URLEncoder.encode(v, Charsets.UTF_8)}" }
                assertEquals(200, client.replyToNotification("POST", body).status)

                val forged = client.replyToNotificationFields("POST", fields + ("amount" to "90000"))
                assertEquals(400, forged.status, forged.reason)
                assertNull(forged.transfer)
            }
        }
    }
}
