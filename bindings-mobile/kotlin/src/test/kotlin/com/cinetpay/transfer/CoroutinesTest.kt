package com.cinetpay.transfer

import java.time.Duration
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test

/** Every call is a `suspend fun`: concurrent calls share one client, and cancellation is clean. */
class CoroutinesTest {
    private val notifyUrl = "http://127.0.0.1:9/notify"

    @Test
    fun `concurrent calls on one client all succeed and each payout is recorded once`() = runBlocking {
        Sandbox.start().use { sandbox ->
            sandbox.credentialsClient().use { client ->
                val balances = (1..20).map { async(Dispatchers.Default) { client.balance() } }.awaitAll()
                assertTrue(balances.all { it.available > 0 })

                client.addContacts(listOf(Contact("225", "0701020304", "Awa", "Kone")))
                val sends = (0 until 10).map { i ->
                    async(Dispatchers.Default) {
                        client.send(listOf(Transfer("225", "0701020304", 500L + 5 * i, notifyUrl, clientTransactionId = "co-$i")))
                    }
                }.awaitAll()
                assertTrue(sends.all { it.single().outcome == SendOutcome.ACCEPTED })
                val ledger = sandbox.adminOk("GET /ledger") as JSONArray
                assertEquals(10, ledger.length())
                for (i in 0 until ledger.length()) assertEquals(1, (ledger.get(i) as JSONObject).getInt("accepted_count"))
            }
        }
    }

    @Test
    fun `a cancelled call stuck on a slow answer returns at once and the client keeps working`() = runBlocking {
        Sandbox.start().use { sandbox ->
            sandbox.credentialsClient().use { client ->
                client.balance() // logged in
                sandbox.adminOk("POST /faults", JSONObject().put("endpoint", "balance").put("kind", "latency").put("latency_ms", 20_000))
                val call = launch(Dispatchers.Default) { client.balance() }
                delay(300)
                // Well under the 20 s latency: the coroutine does not wait for the Rust future.
                withTimeout(5_000) { call.cancelAndJoin() }
                assertTrue(call.isCancelled)

                val after = client.balance()
                assertTrue(after.available > 0)
                assertEquals(0, uniffiForeignFutureHandleCount())
            }
        }
    }

    @Test
    fun `cancelling pay while it adds the contact drops the whole call, so nothing is sent`() = runBlocking {
        Sandbox.start().use { sandbox ->
            sandbox.credentialsClient().use { client ->
                client.balance()
                sandbox.adminOk("POST /faults", JSONObject().put("endpoint", "contact").put("kind", "latency").put("latency_ms", 1_500))
                val call = launch(Dispatchers.Default) {
                    client.pay(listOf(Transfer("225", "0701020304", 500, notifyUrl, clientTransactionId = "cancelled-pay")))
                }
                delay(300)
                withTimeout(5_000) { call.cancelAndJoin() }
                // Past the latency: had the Rust future survived the cancellation, it would have sent by now.
                delay(2_500)
                assertEquals(0, (sandbox.adminOk("GET /ledger") as JSONArray).length())

                val results = client.pay(listOf(Transfer("225", "0701020304", 500, notifyUrl, clientTransactionId = "after-cancel")))
                assertEquals(SendOutcome.ACCEPTED, results.single().outcome)
            }
        }
    }

    @Test
    fun `a request timeout surfaces as a transport error after the retries`() = runBlocking {
        Sandbox.start().use { sandbox ->
            sandbox.credentialsClient(ClientConfig(requestTimeout = Duration.ofMillis(300))).use { client ->
                client.balance()
                sandbox.adminOk("POST /faults", JSONObject().put("endpoint", "balance").put("kind", "latency").put("latency_ms", 2_000).put("count", 3))
                val error = runCatching { client.balance() }.exceptionOrNull()
                assertTrue(error is CinetPayException.Transport, "got $error")
            }
        }
    }
}
