package com.cinetpay.transfer

import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The phone's way: no API password in the app, tokens from a [TokenProvider] written in Kotlin.
 * Here the provider plays the merchant's backend by calling the sandbox's `/v1/auth/login` itself.
 */
class TokenProviderTest {
    /** A "backend" that logs in on each call and counts the calls. */
    class CountingBackend(private val sandbox: Sandbox) : TokenProvider {
        val calls = AtomicInteger()
        override suspend fun fetchToken(): String {
            calls.incrementAndGet()
            delay(50) // a network round trip: concurrent callers must still wait for this one call
            return sandbox.login()
        }
    }

    class FailingBackend(private val failure: () -> Exception) : TokenProvider {
        val calls = AtomicInteger()
        override suspend fun fetchToken(): String {
            calls.incrementAndGet()
            throw failure()
        }
    }

    @Test
    fun `twenty concurrent calls ask the provider once, and again after the token expired`() = runBlocking {
        Sandbox.start().use { sandbox ->
            val backend = CountingBackend(sandbox)
            Client(ClientConfig(baseUrl = sandbox.baseUrl), backend).use { client ->
                val balances = (1..20).map { async(Dispatchers.Default) { client.balance() } }.awaitAll()
                assertEquals(20, balances.size)
                assertEquals(1, backend.calls.get())

                sandbox.adminOk("POST /tokens/expire")
                client.balance()
                assertEquals(2, backend.calls.get())
            }
            assertEquals(0, uniffiForeignFutureHandleCount())
        }
    }

    @Test
    fun `a refusal by the backend is an Authentication error and nothing is sent`() = runBlocking {
        Sandbox.start().use { sandbox ->
            val backend = FailingBackend { TokenProviderException.Refused("user may not pay out") }
            Client(ClientConfig(baseUrl = sandbox.baseUrl), backend).use { client ->
                val e = assertThrows<CinetPayException.Authentication> { runBlocking { client.balance() } }
                assertTrue(e.detail.contains("user may not pay out"), e.detail)
                assertEquals(1, backend.calls.get())
            }
        }
    }

    @Test
    fun `an unreachable backend, or any other exception, is a Transport error after the retries`() = runBlocking {
        Sandbox.start().use { sandbox ->
            for (failure in listOf<() -> Exception>({ TokenProviderException.Unavailable("backend down") }, { IllegalStateException("bug") })) {
                val backend = FailingBackend(failure)
                val config = ClientConfig(baseUrl = sandbox.baseUrl, retry = RetryPolicy(2u, java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(10)))
                Client(config, backend).use { client ->
                    val e = assertThrows<CinetPayException.Transport> { runBlocking { client.balance() } }
                    assertTrue(e.detail.contains("token provider"), e.detail)
                    assertTrue(backend.calls.get() >= 1)
                }
            }
        }
    }
}
