// XCTest suite of the Swift package. It runs on macOS only (`swift test` after build-xcframework.sh,
// with CINETPAY_SANDBOX_BIN set); the Linux machines of this project have no Swift compiler, so the
// same behaviours are proven there by the Kotlin tests, over the same library.
import XCTest
@testable import CinetPayTransfer

final class CountingBackend: TokenProvider, @unchecked Sendable {
    let sandbox: Sandbox
    private let lock = NSLock()
    private var count = 0
    var calls: Int { lock.lock(); defer { lock.unlock() }; return count }

    init(_ sandbox: Sandbox) { self.sandbox = sandbox }

    func fetchToken() async throws -> String {
        lock.lock(); count += 1; lock.unlock()
        return try await sandbox.login()
    }
}

final class CinetPayTransferTests: XCTestCase {
    let notifyUrl = "http://127.0.0.1:9/notify"

    func testConcurrentCallsAskTheTokenProviderOnceAndAgainAfterExpiry() async throws {
        let sandbox = try Sandbox()
        let backend = CountingBackend(sandbox)
        let client = try Client(config: ClientConfig(baseUrl: sandbox.baseUrl), tokenProvider: backend)
        try await withThrowingTaskGroup(of: Balance.self) { group in
            for _ in 0..<20 { group.addTask { try await client.balance() } }
            for try await balance in group { XCTAssertGreaterThan(balance.available, 0) }
        }
        XCTAssertEqual(backend.calls, 1)
        try await sandbox.admin("POST", "/tokens/expire")
        _ = try await client.balance()
        XCTAssertEqual(backend.calls, 2)
    }

    func testInsufficientBalanceCarriesTheServiceFields() async throws {
        let sandbox = try Sandbox()
        let client = try sandbox.client()
        try await sandbox.admin("POST", "/balance", ["country": "CI", "available": 100])
        _ = try await client.addContacts(contacts: [Contact(prefix: "225", phone: "0701020304", name: "Awa", surname: "Kone")])
        do {
            _ = try await client.send(transfers: [Transfer(prefix: "225", phone: "0701020304", amount: 500, notifyUrl: notifyUrl, clientTransactionId: "ib-1")])
            XCTFail("expected InsufficientBalance")
        } catch let error as CinetPayError {
            guard case let .InsufficientBalance(_, code, apiMessage, _, httpStatus, _, _, _) = error else {
                return XCTFail("wrong kind: \(error)")
            }
            XCTAssertEqual(code, 602)
            XCTAssertEqual(apiMessage, "INSUFFICIENT_BALANCE")
            XCTAssertEqual(httpStatus, 402)
            XCTAssertEqual(error.kind(), .insufficientBalance)
        }
    }

    func testValidationNamesFieldAndItemBeforeSending() async throws {
        let sandbox = try Sandbox()
        let client = try sandbox.client()
        do {
            _ = try await client.send(transfers: [Transfer(prefix: "225", phone: "0701020304", amount: 1, notifyUrl: notifyUrl)])
            XCTFail("expected Validation")
        } catch let error as CinetPayError {
            XCTAssertEqual(error.kind(), .validation)
            XCTAssertEqual(error.details().field, "amount")
            XCTAssertEqual(error.details().index, 0)
        }
    }

    func testCancellingACallStuckOnLatencyLeavesTheClientUsable() async throws {
        let sandbox = try Sandbox()
        let client = try sandbox.client()
        _ = try await client.balance()
        try await sandbox.admin("POST", "/faults", ["endpoint": "balance", "kind": "latency", "latency_ms": 20000])
        let task = Task { try await client.balance() }
        try await Task.sleep(nanoseconds: 300_000_000)
        task.cancel()
        _ = await task.result
        let balance = try await client.balance()
        XCTAssertGreaterThan(balance.available, 0)
    }

    func testUnknownStatusesAreKept() throws {
        let odd = TreatmentStatus.unknown(raw: "HOLD")
        XCTAssertEqual(odd.wireValue(), "HOLD")
        XCTAssertFalse(odd.isFinal())
        guard case .ping = try parseNotification(body: "", method: "GET") else { return XCTFail("not a ping") }
    }
}
