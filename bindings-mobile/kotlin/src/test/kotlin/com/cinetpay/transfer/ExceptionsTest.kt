package com.cinetpay.transfer

import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/** Errors are one sealed hierarchy, `CinetPayException`, with the core's kinds and fields. */
class ExceptionsTest {
    private val notifyUrl = "http://127.0.0.1:9/notify"

    /** What an app would do with each kind: an exhaustive `when`, no `else`. */
    private fun advice(e: CinetPayException): String = when (e) {
        is CinetPayException.Authentication -> "sign in again"
        is CinetPayException.Validation -> "fix ${e.field}"
        is CinetPayException.InsufficientBalance -> "top up"
        is CinetPayException.NotFound -> "check the id"
        is CinetPayException.NotAContact -> "add the contact"
        is CinetPayException.DuplicateTransaction -> "use a new id"
        is CinetPayException.OperatorUnavailable -> "pick another operator"
        is CinetPayException.Service -> "try later"
        is CinetPayException.Transport -> "check the network"
        is CinetPayException.OutcomeUnknown -> "look up ${e.clientTransactionIds}"
        is CinetPayException.Protocol -> "report it"
        is CinetPayException.NotificationMismatch -> "ignore the notification"
    }

    @Test
    fun `a refused batch throws InsufficientBalance with the service's code, message and status`() = runBlocking {
        Sandbox.start().use { sandbox ->
            sandbox.credentialsClient().use { client ->
                sandbox.adminOk("POST /balance", JSONObject().put("country", "CI").put("available", 100))
                client.addContacts(listOf(Contact("225", "0701020304", "Awa", "Kone")))
                val e = assertThrows<CinetPayException.InsufficientBalance> {
                    runBlocking { client.send(listOf(Transfer("225", "0701020304", 500, notifyUrl, "ib-1"))) }
                }
                assertEquals(602L, e.code)
                assertEquals("INSUFFICIENT_BALANCE", e.apiMessage)
                assertEquals(402, e.httpStatus)
                assertEquals(ErrorKind.INSUFFICIENT_BALANCE, e.kind())
                assertEquals(602L, e.details().code)
                assertEquals("top up", advice(e))
                assertTrue(e.toString().startsWith("insufficient_balance: "), e.toString())
                assertTrue(e.message!!.contains("code=602"), e.message)
            }
        }
    }

    @Test
    fun `input is refused before sending, naming the field and the item`() = runBlocking {
        Sandbox.start().use { sandbox ->
            sandbox.credentialsClient().use { client ->
                val e = assertThrows<CinetPayException.Validation> {
                    runBlocking {
                        client.send(
                            listOf(
                                Transfer("225", "0701020304", 500, notifyUrl),
                                Transfer("225", "0701020304", 1, notifyUrl),
                            ),
                        )
                    }
                }
                assertEquals("amount", e.field)
                assertEquals(1, e.index)
                assertNull(e.code)
                assertEquals("fix amount", advice(e))
                // A field value is the name the caller wrote in Kotlin (ADR 6): `notifyUrl`, not `notify_url`.
                val url = assertThrows<CinetPayException.Validation> {
                    runBlocking { client.send(listOf(Transfer("225", "0701020304", 500, "/cinetpay/notify"))) }
                }
                assertEquals("notifyUrl", url.field)
                assertEquals(0, (sandbox.adminOk("GET /ledger") as org.json.JSONArray).length())
            }
        }
    }

    @Test
    fun `wrong credentials, unknown ids and per-item failures keep their kinds`() = runBlocking {
        Sandbox.start().use { sandbox ->
            Client.withCredentials(ClientConfig(baseUrl = sandbox.baseUrl), Sandbox.DEFAULT_API_KEY, "wrong").use { client ->
                val e = assertThrows<CinetPayException.Authentication> { runBlocking { client.balance() } }
                assertEquals(701L, e.code)
                assertFalse(e.toString().contains("wrong"), "the password never appears in errors")
            }
            sandbox.credentialsClient().use { client ->
                val notFound = assertThrows<CinetPayException> { runBlocking { client.transferStatus(TransferQuery.TransactionId("nope")) } }
                assertTrue(notFound is CinetPayException.NotFound)
                assertEquals(723L, (notFound as CinetPayException.NotFound).code)

                // Not a contact: a per-item failure inside a successful call, as ErrorDetails.
                val results = client.send(listOf(Transfer("225", "0505060708", 500, notifyUrl, "nc-1")))
                val item = results.single()
                assertEquals(SendOutcome.FAILED, item.outcome)
                assertEquals(ErrorKind.NOT_A_CONTACT, item.error?.kind)
                assertEquals(724L, item.error?.code)
            }
        }
    }

    @Test
    fun `a bad configuration throws from the constructor, before any request`() {
        val e = assertThrows<CinetPayException.Validation> {
            Client.withCredentials(ClientConfig(baseUrl = "not a url"), "key", "secret")
        }
        assertEquals("baseUrl", e.field)
        val empty = assertThrows<CinetPayException.Validation> { Client.withCredentials(ClientConfig(), "key", "") }
        assertEquals("password", empty.field)
    }

    @Test
    fun `unknown statuses are kept as sent and notifications parse to a sealed event`() {
        val odd = TreatmentStatus.Unknown("HOLD")
        assertEquals("HOLD", odd.wireValue())
        assertFalse(odd.isFinal())
        assertTrue(TreatmentStatus.Val.isFinal())
        assertTrue(parseNotification("", "GET") is NotificationEvent.Ping)
        val event = parseNotification("transaction_id=EA1.2.M3&amount=500&treatment_status=VAL")
        val n = (event as NotificationEvent.Transfer).notification
        assertEquals(500L, n.amount)
        assertEquals(TreatmentStatus.Val, n.treatmentStatus)
        val e = assertThrows<CinetPayException.Validation> { parseNotification("amount=500", "POST") }
        assertEquals("transactionId", e.field)
    }
}
