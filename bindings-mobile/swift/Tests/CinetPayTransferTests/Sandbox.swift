// The `cinetpay-sandbox` binary as a subprocess on a free port, driven by its admin API: the Swift
// twin of the Kotlin tests' Sandbox.kt. macOS only (Process). Point CINETPAY_SANDBOX_BIN at the
// binary (default: ../../target/debug/cinetpay-sandbox from the package directory).
import Foundation

final class Sandbox {
    static let apiKey = "sandbox-api-key"
    static let password = "sandbox-password"

    let process: Process
    let baseUrl: String
    var adminUrl: String { String(baseUrl.dropLast("/v1".count)) + "/_sandbox" }

    init() throws {
        let bin = ProcessInfo.processInfo.environment["CINETPAY_SANDBOX_BIN"] ?? "../../target/debug/cinetpay-sandbox"
        process = Process()
        process.executableURL = URL(fileURLWithPath: bin)
        process.arguments = ["--addr", "127.0.0.1:0"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        baseUrl = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }

    deinit { process.terminate() }

    @discardableResult
    func admin(_ method: String, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        var request = URLRequest(url: URL(string: adminUrl + path)!)
        request.httpMethod = method
        if method == "POST" {
            request.setValue("application/json", forHTTPHeaderField: "content-type")
            request.httpBody = try JSONSerialization.data(withJSONObject: body ?? [:])
        }
        let (data, _) = try await URLSession.shared.data(for: request)
        return data.isEmpty ? nil : try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// What a merchant backend does: log in with the API password it alone holds.
    func login() async throws -> String {
        var request = URLRequest(url: URL(string: baseUrl + "/auth/login?lang=en")!)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "content-type")
        request.httpBody = Data("apikey=\(Sandbox.apiKey)&password=\(Sandbox.password)".utf8)
        let (data, _) = try await URLSession.shared.data(for: request)
        let json = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        return (json["data"] as! [String: Any])["token"] as! String
    }

    func client() throws -> Client {
        try Client.withCredentials(
            config: ClientConfig(baseUrl: baseUrl, retry: RetryPolicy(maxAttempts: 3, initialBackoff: 0.01, maxBackoff: 0.05)),
            apiKey: Sandbox.apiKey,
            password: Sandbox.password
        )
    }
}
