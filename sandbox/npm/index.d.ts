/** The path of the `cinetpay-sandbox` binary this package ships. */
export declare const binaryPath: string
