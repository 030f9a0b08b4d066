import RunbookLanguage

/// How one step ended, as the scheduler records it.
struct StepResult: Sendable {
    var id: String
    var outcome: StepOutcome
    var conclusion: StepOutcome
    var outputs: [String: Value]
    var error: String?
    var attempts: Int
    var duration: Duration

    init(
        id: String, outcome: StepOutcome, continueOnError: Bool = false, outputs: [String: Value] = [:],
        error: String? = nil, attempts: Int = 0, duration: Duration = .zero
    ) {
        self.id = id
        self.outcome = outcome
        self.conclusion = continueOnError && outcome == .failure ? .success : outcome
        self.outputs = outputs
        self.error = error
        self.attempts = attempts
        self.duration = duration
    }

    /// The value `steps.ID` has in expressions.
    var contextValue: Value {
        .object([
            "outputs": .object(outputs), "outcome": .string(outcome.rawValue),
            "conclusion": .string(conclusion.rawValue),
        ])
    }
}
