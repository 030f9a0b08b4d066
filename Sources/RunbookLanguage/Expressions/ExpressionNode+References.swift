extension ExpressionNode {
    /// Every access chain that starts at a root context, in source order, with its static path.
    public var references: [ContextReference] {
        var references: [ContextReference] = []
        collectReferences(into: &references)
        return references
    }

    /// Appends the references in this tree to `references`.
    private func collectReferences(into references: inout [ContextReference]) {
        switch self {
        case .literal:
            return
        case .context(let name, let offset):
            references.append(ContextReference(path: [name], offset: offset))
        case .member, .index:
            collectChainReferences(into: &references)
        case .not(let operand):
            operand.collectReferences(into: &references)
        case .binary(_, let left, let right):
            left.collectReferences(into: &references)
            right.collectReferences(into: &references)
        case .call(_, let arguments, _):
            for argument in arguments { argument.collectReferences(into: &references) }
        }
    }

    /// Appends the reference of an access chain (`a.b['c'][d]`) and those inside its indexes.
    private func collectChainReferences(into references: inout [ContextReference]) {
        var steps: [ExpressionNode] = []
        var base = self
        walk: while true {
            switch base {
            case .member(let inner, _), .index(let inner, _):
                steps.append(base)
                base = inner
            default:
                break walk
            }
        }
        steps.reverse()
        if case .context(let root, let offset) = base {
            var path = [root]
            extend: for step in steps {
                switch step {
                case .member(_, let name), .index(_, .literal(.string(let name))):
                    path.append(name)
                default:
                    break extend
                }
            }
            references.append(ContextReference(path: path, offset: offset))
        } else {
            base.collectReferences(into: &references)
        }
        for case .index(_, let index) in steps {
            index.collectReferences(into: &references)
        }
    }
}
