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
import org.json.JSONArray
import org.json.JSONObject
import org.json.JSONTokener

/**
 * The `cinetpay-sandbox` binary as a subprocess on a free port of 127.0.0.1, driven through its
 * admin API: what a merchant's own test suite in Kotlin would do, and what the Python and Node
 * helpers do (ADR 10): the same start options (the binary's flags `--quirks`, `--token-lifetime`,
 * `--clock`, `--whitelisted`) and the same admin calls, in camelCase. One per test or scenario, so
 * tests share no state; closing it kills the process, and `--exit-with-stdin` ends it with the JVM.
 */
class Sandbox private constructor(private val process: Process, val baseUrl: String) : AutoCloseable {
    val adminUrl: String = baseUrl.removeSuffix("/v1") + "/_sandbox"
    val apiKey: String = DEFAULT_API_KEY
    val password: String = DEFAULT_PASSWORD

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

    suspend fun reset() { adminOk("POST /reset") }

    /** Moves the sandbox clock; returns `{now_ms, steps}`. */
    suspend fun advanceClock(seconds: Double): JSONObject =
        adminOk("POST /clock/advance", JSONObject().put("seconds", seconds)) as JSONObject

    /** Confirms pending payouts (all of a merchant's, or one); returns how many. */
    suspend fun confirm(transactionId: String? = null, apiKey: String? = null): Int =
        (adminOk("POST /confirm", JSONObject().putOpt("transaction_id", transactionId).putOpt("api_key", apiKey)) as JSONObject)
            .getInt("confirmed")

    suspend fun setBalance(country: String, available: Long, apiKey: String? = null) {
        adminOk("POST /balance", JSONObject().put("country", country).put("available", available).putOpt("api_key", apiKey))
    }

    suspend fun addMerchant(apiKey: String, password: String, whitelisted: Boolean? = null, balances: Map<String, Long>? = null) {
        adminOk(
            "POST /merchants",
            JSONObject().put("api_key", apiKey).put("password", password).putOpt("whitelisted", whitelisted)
                .putOpt("balances", balances?.let { JSONObject(it) }),
        )
    }

    /** Queues a fault for the next `count` requests to an endpoint; returns the faults queued. */
    suspend fun addFault(
        endpoint: String,
        kind: String,
        count: Int? = null,
        latencyMs: Long? = null,
        status: Int? = null,
        code: Int? = null,
        processed: Boolean? = null,
    ): JSONArray = adminOk(
        "POST /faults",
        JSONObject().put("endpoint", endpoint).put("kind", kind).putOpt("count", count).putOpt("latency_ms", latencyMs)
            .putOpt("status", status).putOpt("code", code).putOpt("processed", processed),
    ) as JSONArray

    suspend fun clearFaults() { adminOk("DELETE /faults") }

    suspend fun expireTokens(): Int = (adminOk("POST /tokens/expire") as JSONObject).getInt("expired")

    suspend fun ledger(): JSONArray = adminOk("GET /ledger") as JSONArray

    /** Delivery attempts; with `waitFor`, waits (up to `timeout` seconds) until that many are recorded. */
    suspend fun notifications(waitFor: Int? = null, timeout: Double = 10.0): JSONArray =
        adminOk(if (waitFor == null) "GET /notifications" else "GET /notifications?wait_for=$waitFor&timeout_ms=${(timeout * 1000).toLong()}") as JSONArray

    /** Sends one bare GET ping to `url`, as CinetPay pings notify URLs; returns the recorded attempt. */
    suspend fun ping(url: String): JSONObject = adminOk("POST /notifications/ping", JSONObject().put("url", url)) as JSONObject

    override fun close() {
        process.destroy()
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
    }

    companion object {
        const val DEFAULT_API_KEY = "sandbox-api-key"
        const val DEFAULT_PASSWORD = "sandbox-password"

        private val http: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        /**
         * The binary, in the helpers' order (ADR 10): `CINETPAY_SANDBOX_BIN`; else the build the
         * Maven property `cinetpay.sandbox.bin` names (what a sandbox package is to Python and Node);
         * else `cinetpay-sandbox` on PATH.
         */
        private val binary: File by lazy {
            System.getenv("CINETPAY_SANDBOX_BIN")?.takeIf { it.isNotEmpty() }?.let { path ->
                return@lazy File(path).also { check(it.isFile) { "CINETPAY_SANDBOX_BIN is $path, where there is no file" } }
            }
            System.getProperty("cinetpay.sandbox.bin")?.let { File(it) }?.takeIf { it.isFile }
                ?: System.getenv("PATH").orEmpty().split(File.pathSeparator).filter { it.isNotEmpty() }
                    .map { File(it, "cinetpay-sandbox") }.firstOrNull { it.canExecute() }
                ?: error("no cinetpay-sandbox binary: cargo build -p cinetpay-sandbox (or set CINETPAY_SANDBOX_BIN)")
        }

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
            // stdin stays a pipe the JVM holds: when the JVM ends, the sandbox does too.
            val process = ProcessBuilder(listOf(binary.path, "--addr", "127.0.0.1:0", "--exit-with-stdin") + options)
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
