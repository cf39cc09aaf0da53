package com.cinetpay.transfer

import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import org.json.JSONArray
import org.json.JSONObject
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Assumptions.assumeTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * End to end, the way the mobile README describes it: the app's [TokenProvider] asks the
 * merchant's backend for a token over HTTP, and only that backend holds the API password. The
 * backend is a live Django server (`src/test/django/token_server.py`, Django's own threaded dev
 * server) serving `cinetpay_transfer.django.token_view`, started by this test against a sandbox;
 * the app then pays through the sandbox with the tokens it got.
 *
 * The Python with Django and `cinetpay_transfer` installed comes from `CINETPAY_DJANGO_PYTHON`
 * (bindings-mobile/test.sh makes one). Without it the test is skipped, except in CI (`CI=true`),
 * where it fails.
 */
class DjangoTokenViewTest {
    /**
     * What an app ships: a GET with the user's session to the backend's token URL. Asking again,
     * it sends the token it had (`X-Previous-Token`), so that a token the service revoked is
     * replaced rather than handed back.
     */
    class BackendTokens(private val url: String, private val session: String) : TokenProvider {
        val calls = AtomicInteger()

        @Volatile
        private var previous: String? = null

        override suspend fun fetchToken(): String = withContext(Dispatchers.IO) {
            calls.incrementAndGet()
            val request = HttpRequest.newBuilder(URI.create(url)).header("X-Session", session).GET()
            previous?.let { request.header("X-Previous-Token", it) }
            val response = http.send(request.build(), HttpResponse.BodyHandlers.ofString())
            when (response.statusCode()) {
                200 -> JSONObject(response.body()).getString("token").also { previous = it }
                401, 403 -> throw TokenProviderException.Refused("the backend refused (${response.statusCode()})")
                else -> throw TokenProviderException.Unavailable("the backend answered ${response.statusCode()}")
            }
        }
    }

    @Test
    fun `the app pays with tokens from the Django token view and never holds the password`() = runBlocking {
        val python = djangoPython()
        Sandbox.start().use { sandbox ->
            DjangoServer.start(python, sandbox.baseUrl).use { django ->
                val tokenUrl = "${django.url}/cinetpay/token"
                val backend = BackendTokens(tokenUrl, session = "alice")
                // No credentials in the app: a config and a provider, nothing else.
                Client(ClientConfig(baseUrl = sandbox.baseUrl), backend).use { client ->
                    val results = client.pay(listOf(Transfer("225", "0701020304", 500, NOTIFY_URL, clientTransactionId = "e2e-django-1")))
                    assertEquals(SendOutcome.ACCEPTED, results.single().outcome)
                    client.balance()
                    assertEquals(1, backend.calls.get(), "one token for both calls")

                    // The service forgets every token (a revocation): the app, refused, asks again
                    // and gets a new token, not the revoked one back.
                    sandbox.adminOk("POST /tokens/expire")
                    client.balance()
                    assertEquals(2, backend.calls.get())
                }
                val ledger = sandbox.adminOk("GET /ledger") as JSONArray
                assertEquals(1, ledger.length())
                assertEquals("e2e-django-1", (ledger.get(0) as JSONObject).getString("client_transaction_id"))

                // A user the backend does not accept gets no token, so no call goes through.
                val stranger = BackendTokens(tokenUrl, session = "mallory")
                Client(ClientConfig(baseUrl = sandbox.baseUrl), stranger).use { client ->
                    assertThrows<CinetPayException.Authentication> { runBlocking { client.balance() } }
                }
                val refused = http.send(
                    HttpRequest.newBuilder(URI.create(tokenUrl)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(),
                )
                assertTrue(refused.statusCode() in listOf(401, 403), "status ${refused.statusCode()}")
                assertFalse(refused.body().contains("token\""), refused.body())
            }
        }
    }

    /** The merchant's backend: the Django server script as a subprocess, on a free port. */
    class DjangoServer private constructor(private val process: Process, val url: String) : AutoCloseable {
        override fun close() {
            process.destroy()
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
        }

        companion object {
            fun start(python: String, sandboxBaseUrl: String): DjangoServer {
                val script = File("src/test/django/token_server.py")
                check(script.isFile) { "no ${script.absolutePath}" }
                val builder = ProcessBuilder(python, script.path)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                builder.environment().apply {
                    // Only the backend's process sees the password.
                    put("CINETPAY_BASE_URL", sandboxBaseUrl)
                    put("CINETPAY_API_KEY", Sandbox.DEFAULT_API_KEY)
                    put("CINETPAY_API_PASSWORD", Sandbox.DEFAULT_PASSWORD)
                }
                val process = builder.start()
                val line = BufferedReader(InputStreamReader(process.inputStream)).readLine()
                if (line == null || !line.startsWith("http://")) {
                    process.destroyForcibly()
                    error("the Django server did not print its URL (got $line)")
                }
                return DjangoServer(process, line.trim())
            }
        }
    }

    companion object {
        private const val NOTIFY_URL = "http://127.0.0.1:9/notify"
        private val http: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()

        fun djangoPython(): String {
            val python = System.getenv("CINETPAY_DJANGO_PYTHON")?.takeIf { it.isNotBlank() }
            if (python == null && System.getenv("CI") == "true") {
                error("CINETPAY_DJANGO_PYTHON is not set: bindings-mobile/test.sh makes that Python")
            }
            assumeTrue(python != null, "CINETPAY_DJANGO_PYTHON is not set (a Python with Django and cinetpay_transfer)")
            return python!!
        }
    }
}
