extension ActionCatalog {
    /// `shell`, `http.check`, `sleep`, `log` and `notify`.
    static let core: [ActionSpec] = [
        ActionSpec(
            name: "shell", summary: "Runs a command with /bin/sh -c (or bash).", mutating: true,
            defaultTimeout: .seconds(300),
            parameters: [
                .required("command", .string, "The command; each ${{ }} value reaches it in an environment variable "
                    + "(RUNBOOK_VALUE_n), never as command text, and places with no safe form are refused."),
                .optional("shell", .oneOf(["sh", "bash"]), "The shell that runs the command.", default: "sh"),
                .optional("env", .stringMap, "Extra environment variables."),
                .optional("cwd", .string, "The working directory."),
            ],
            outputs: nil),
        ActionSpec(
            name: "http.check", summary: "Requests a URL and fails unless the status (and body) match.",
            mutating: false, defaultTimeout: .seconds(30),
            parameters: [
                .required("url", .string, "The URL to request."),
                .optional("method", .oneOf(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
                          "The HTTP method.", default: "GET"),
                .optional("expect_status", .statusCodes, "The accepted status or statuses.", default: 200),
                .optional("expect_body", .string, "A substring the body must contain."),
                .optional("headers", .stringMap, "Request headers."),
                .optional("body", .string, "The request body."),
            ],
            outputs: [
                OutputSpec("status", "The HTTP status."),
                OutputSpec("latency_ms", "Time to the complete response, in milliseconds."),
                OutputSpec("body", "The response body, capped."),
            ]),
        ActionSpec(
            name: "sleep", summary: "Waits.", mutating: false, defaultTimeout: nil,
            parameters: [.required("duration", .duration, "How long to wait.")],
            outputs: []),
        ActionSpec(
            name: "log", summary: "Writes a message into the run's timeline.", mutating: false,
            defaultTimeout: .seconds(10),
            parameters: [.required("message", .string, "The message.")],
            outputs: [OutputSpec("message", "The message as written.")]),
        ActionSpec(
            name: "notify", summary: "Posts a message to a configured channel (Slack or a JSON webhook).",
            mutating: false, defaultTimeout: .seconds(30),
            parameters: [
                .required("channel", .string, "A channel named under `notify:` in runbook.config.yaml."),
                .required("message", .string, "The message."),
            ],
            outputs: []),
    ]
}
