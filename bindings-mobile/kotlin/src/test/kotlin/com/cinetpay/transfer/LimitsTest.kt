package com.cinetpay.transfer

import kotlinx.coroutines.runBlocking
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * `ClientConfig.limits` only converts: the core applies the rules and judges the values, so a bad
 * limit or a payout under a raised minimum is refused by the core, with the field named, before
 * any request leaves (the sandbox counts the `/v1` requests it received). `isRetryable` is the
 * core's rule (issue 12).
 */
class LimitsTest {
    private val notifyUrl = "http://127.0.0.1:9/notify"

    private fun payout(ref: String, amount: Long) = Transfer("225", "0701020304", amount, notifyUrl, ref)

    private suspend fun Sandbox.received(): Int = (adminOk("GET /requests") as JSONObject).getInt("received")

    @Test
    fun `a payout under a raised minimum is refused before any request, the field named`() = runBlocking {
        Sandbox.start().use { sandbox ->
            val raised = Limits(countries = mapOf("225" to CountryRule("CI", DigitRange(8u, 10u), 5000)))
            sandbox.credentialsClient(ClientConfig(limits = raised)).use { client ->
                val e = assertThrows<CinetPayException.Validation> {
                    runBlocking { client.pay(listOf(payout("under-minimum", 1000))) }
                }
                assertEquals("amount", e.field)
                assertEquals(0, e.index)
                assertFalse(e.isRetryable)
                assertEquals(0, sandbox.received())
                // A big enough payout passes with the raised minimum, and this one with the core's own (200).
                assertEquals(SendOutcome.ACCEPTED, client.pay(listOf(payout("over-minimum", 5000))).single().outcome)
            }
            sandbox.credentialsClient().use { client ->
                assertEquals(SendOutcome.ACCEPTED, client.pay(listOf(payout("default-minimum", 1000))).single().outcome)
            }
        }
    }

    @Test
    fun `a bad limit is a validation error naming it, before any request`() = runBlocking {
        Sandbox.start().use { sandbox ->
            val cases = listOf(
                Limits(maxAmount = 0) to "limits.maxAmount",
                Limits(amountMultiple = 0) to "limits.amountMultiple",
                Limits(defaultMinAmount = 2_000_000) to "limits.defaultMinAmount",
                Limits(defaultNationalDigits = DigitRange(9u, 3u)) to "limits.defaultNationalDigits",
                Limits(countries = mapOf("225" to CountryRule("CI", DigitRange(8u, 10u), 0))) to
                    "limits.countries.225.minAmount",
                Limits(countries = mapOf("+225" to CountryRule("CI", DigitRange(8u, 10u), 200))) to "limits.countries",
            )
            for ((limits, field) in cases) {
                val e = assertThrows<CinetPayException.Validation>(limits.toString()) {
                    sandbox.credentialsClient(ClientConfig(limits = limits)).close()
                }
                assertEquals(field, e.field, e.toString())
            }
            assertEquals(0, sandbox.received())
        }
    }

    @Test
    fun `isRetryable is the core's decision`() = runBlocking {
        val config = ClientConfig(baseUrl = "http://127.0.0.1:9/v1", retry = RetryPolicy(1u, java.time.Duration.ZERO, java.time.Duration.ZERO))
        Client.withCredentials(config, "k", "p").use { client ->
            val e = assertThrows<CinetPayException.Transport> { runBlocking { client.balance() } }
            assertTrue(e.isRetryable)
            assertTrue(e.details().isRetryable)
        }
    }
}
