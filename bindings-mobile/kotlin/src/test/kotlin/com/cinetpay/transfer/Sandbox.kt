package com.cinetpay.transfer

import java.io.BufferedReader
import java.io.File
import java.io.InputStreamReader
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Duration
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.json.JSONTokener

/**
 * The `cinetpay-sandbox` binary as a subprocess on a free port of 127.0.0.1, driven through its
 * admin API: what a merchant's own test suite in Kotlin would do. One per test or scenario, so
 * tests share no state; closing it kills the process.
 */
class Sandbox private constructor(private val process: Process, val baseUrl: String) : AutoCloseable {
    val adminUrl: String = baseUrl.removeSuffix("/v1") + "/_sandbox"

    /** An admin request (`"POST /faults"`, JSON body); returns the status and the parsed JSON answer. */
    suspend fun admin(request: String, body: Any? = null): Pair<Int, Any?> = withContext(Dispatchers.IO) {
        val (method, path) = request.split(" ", limit = 2).let { if (it.size == 2) it[0] to it[1] else "GET" to it[0] }
        val builder = HttpRequest.newBuilder(URI.create(adminUrl + path)).timeout(Duration.ofSeconds(30))
        when (method) {
            "POST" -> builder.header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body?.toString() ?: "{}"))
            "DELETE" -> builder.DELETE()
            else -> builder.GET()
        }
        val response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString())
        val json = response.body().takeIf { it.isNotBlank() }?.let { JSONTokener(it).nextValue() }
        response.statusCode() to json
    }

    /** Like [admin], but fails on a non-2xx answer. */
    suspend fun adminOk(request: String, body: Any? = null): Any? {
        val (status, json) = admin(request, body)
        check(status in 200..299) { "$request -> $status $json" }
        return json
    }

    /** The sandbox's own login, as a merchant backend would call it: form-encoded apikey/password. */
    suspend fun login(apiKey: String = DEFAULT_API_KEY, password: String = DEFAULT_PASSWORD): String =
        withContext(Dispatchers.IO) {
            val form = "apikey=$apiKey&password=$password"
            val request = HttpRequest.newBuilder(URI.create("$baseUrl/auth/login?lang=en"))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build()
            val body = http.send(request, HttpResponse.BodyHandlers.ofString()).body()
            org.json.JSONObject(body).getJSONObject("data").getString("token")
        }

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    companion object {
        const val DEFAULT_API_KEY = "sandbox-api-key"
        const val DEFAULT_PASSWORD = "sandbox-password"

        private val http: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        private val binary = File(System.getProperty("cinetpay.sandbox.bin") ?: "../../target/debug/cinetpay-sandbox")

        /** The binary's `--help`, read once, to tell which options it has. */
        private val help: String by lazy {
            val p = ProcessBuilder(binary.path, "--help").redirectErrorStream(true).start()
            p.inputStream.bufferedReader().readText().also { p.waitFor() }
        }

        /** Whether the binary accepts `--flag` (older builds lack some options). */
        fun supports(flag: String): Boolean = help.contains(flag)

        /** Starts the sandbox with extra command-line options and waits for its base URL. */
        fun start(vararg options: String): Sandbox {
            check(binary.canExecute()) { "no sandbox binary at ${binary.absolutePath}: cargo build -p cinetpay-sandbox" }
            val process = ProcessBuilder(listOf(binary.path, "--addr", "127.0.0.1:0") + options)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start()
            val stdout = BufferedReader(InputStreamReader(process.inputStream))
            val url = stdout.readLine()
            if (url == null || !url.startsWith("http://")) {
                process.destroyForcibly()
                error("the sandbox did not print its base URL (got $url)")
            }
            return Sandbox(process, url.trim())
        }
    }
}

/** A client logging in with the seeded credentials, with fast retries for tests. */
fun Sandbox.credentialsClient(config: ClientConfig = ClientConfig()): Client =
    Client.withCredentials(
        config.copy(
            baseUrl = baseUrl,
            retry = config.retry ?: RetryPolicy(3u, Duration.ofMillis(10), Duration.ofMillis(50)),
        ),
        Sandbox.DEFAULT_API_KEY,
        Sandbox.DEFAULT_PASSWORD,
    )
