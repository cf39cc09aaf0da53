// The side-by-side program in Kotlin (see ../README.md): the balance, two payouts, their final
// statuses, then their notifications read and confirmed the way a notify URL handler does.
// It talks only to a local sandbox named in the environment, never to the real API (run.sh builds
// and runs it; bindings-mobile/test.sh does so against the sandbox binary).
import com.cinetpay.transfer.*
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import kotlin.system.exitProcess
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import org.json.JSONArray
import org.json.JSONObject

val LOCAL = listOf("http://127.0.0.1:", "http://localhost:", "http://[::1]:")
const val NOTIFY_URL = "https://shop.example/cinetpay/notify"
val PAYOUTS = listOf("+2250701020304" to 5_000L, "+2250701020000" to 3_000L) // ...000: rejected
const val POLLS = 150 // 200 ms apart: give up after 30 s

fun main() = runBlocking {
    val baseUrl = System.getenv("CINETPAY_SANDBOX_URL") ?: ""
    if (LOCAL.none { baseUrl.startsWith(it) }) {
        System.err.println("set CINETPAY_SANDBOX_URL to a local sandbox (http://127.0.0.1:PORT/v1); nothing was sent")
        exitProcess(2)
    }
    val apiKey = System.getenv("CINETPAY_SANDBOX_API_KEY") ?: "sandbox-api-key"
    val password = System.getenv("CINETPAY_SANDBOX_PASSWORD") ?: "sandbox-password"
    val client = Client.withCredentials(ClientConfig(baseUrl = baseUrl), apiKey, password)

    println("available: ${client.balance().available} XOF")

    val run = System.currentTimeMillis() // the ids are the idempotency keys
    val ids = PAYOUTS.indices.map { "side-by-side-$run-${it + 1}" }
    val transfers = PAYOUTS.zip(ids) { (phone, amount), id -> Transfer("", phone, amount, NOTIFY_URL, id) }
    client.pay(transfers).forEachIndexed { i, result ->
        println("payout ${i + 1}: ${result.outcome.name.lowercase()}")
    }

    for ((i, id) in ids.withIndex()) {
        var status: TreatmentStatus
        var poll = 1
        while (true) {
            status = client.transferStatus(TransferQuery.ClientTransactionId(id)).first().treatmentStatus
            if (status.isFinal()) break
            check(poll++ < POLLS) { "payout ${i + 1} is still not final after 30 s" }
            delay(200)
        }
        println("payout ${i + 1}: ${status.wireValue()}")
    }

    // What the sandbox posted to notify_url: the form fields a web framework hands a handler.
    val posted = HttpRequest.newBuilder(URI.create(baseUrl.removeSuffix("/v1") + "/_sandbox/notifications")).build()
    val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
    for ((i, id) in ids.withIndex()) {
        var mine: List<JSONObject>
        var poll = 1
        while (true) {
            val all = JSONArray(http.send(posted, HttpResponse.BodyHandlers.ofString()).body())
            mine = (0 until all.length()).map { all.getJSONObject(it).getJSONObject("fields") }
                .filter { it.optString("client_transaction_id") == id }
            if (mine.isNotEmpty()) break
            check(poll++ < POLLS) { "no notification for payout ${i + 1} after 30 s" }
            delay(200)
        }
        val event = parseNotificationFields(mine.last().toMap().mapValues { it.value.toString() })
        val notification = (event as? NotificationEvent.Transfer)?.notification ?: continue
        val info = client.confirmNotification(notification) // asks the service, never trusts the body
        println("notification for payout ${i + 1}: ${info.treatmentStatus.wireValue()}, confirmed")
    }
    client.close()
}
