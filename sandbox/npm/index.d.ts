/** The path of the `cinetpay-sandbox` binary, in this platform's package (`cinetpay-transfer-sandbox-<platform>`). */
export declare const binaryPath: string
