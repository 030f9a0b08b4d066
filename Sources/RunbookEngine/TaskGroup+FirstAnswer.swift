extension TaskGroup {
    /// The first result a child gives that is not nil, once it comes, with the other children cancelled; nil when
    /// every child gave nil. What a race between work and its time limit waits on.
    mutating func firstAnswer<Answer>() async -> Answer? where ChildTaskResult == Answer? {
        defer { cancelAll() }
        while let next = await next() {
            if let next { return next }
        }
        return nil
    }
}
