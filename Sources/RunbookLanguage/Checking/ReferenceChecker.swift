/// Checks what expressions read: known contexts, declared inputs, steps that run before the reader, real outputs.
struct ReferenceChecker {
    let runbook: Runbook
    let graph: StepGraph
    let catalog: ActionCatalog
    private let stepsByID: [String: Step]

    init(runbook: Runbook, graph: StepGraph, catalog: ActionCatalog) {
        self.runbook = runbook
        self.graph = graph
        self.catalog = catalog
        self.stepsByID = Dictionary(runbook.steps.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The contexts a step's expressions may read.
    static let stepContexts = ["inputs", "steps", "incident", "alert", "env", "run"]
    /// The properties of the fixed-shape contexts.
    static let properties: [String: [String]] = [
        "incident": ["id", "severity", "started_at"],
        "alert": ["labels", "annotations", "status", "starts_at", "source", "fingerprint"],
        "run": ["id", "actor"],
    ]
    static let stepProperties = ["outputs", "outcome", "conclusion"]

    /// Where an expression is read, which decides what it may see.
    private struct Scope {
        var step: Step?
        var contexts: [String]
        var readsOwnStep = false
        var allowsStatusFunctions = false
        var place: String
    }

    func check(_ step: Step) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let scope = Scope(step: step, contexts: Self.stepContexts, place: "step '\(step.id)'")
        for parameter in step.parameters + step.environment {
            for template in parameter.value.templates { check(template, scope, into: &diagnostics) }
        }
        if let message = step.confirmation?.message { check(message, scope, into: &diagnostics) }
        if let condition = step.condition {
            var conditionScope = scope
            conditionScope.allowsStatusFunctions = true
            check(condition.expression, site: condition.site, conditionScope, into: &diagnostics)
        }
        if let until = step.retry?.until {
            var untilScope = scope
            untilScope.readsOwnStep = true
            check(until.expression, site: until.site, untilScope, into: &diagnostics)
        }
        return diagnostics
    }

    func check(_ trigger: Trigger, number: Int) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let scope = Scope(step: nil, contexts: ["alert"], place: "trigger \(number)")
        for (name, template) in trigger.inputs.sorted(by: { $0.key < $1.key }) {
            if runbook.input(name) == nil {
                diagnostics.append(Diagnostic(
                    template.site.start, "trigger \(number) sets unknown input '\(name)'"
                        + NearestName.didYouMean(name, among: runbook.inputs.map(\.name)),
                    hint: "declare it under 'inputs:' or remove it"))
            }
            check(template, scope, into: &diagnostics)
        }
        if let severity = trigger.severity { check(severity, scope, into: &diagnostics) }
        return diagnostics
    }

    private func check(_ template: TemplateValue, _ scope: Scope, into diagnostics: inout [Diagnostic]) {
        for expression in template.template.expressions {
            check(expression, site: template.site, scope, into: &diagnostics)
        }
    }

    private func check(_ expression: Expression, site: ScalarSite, _ scope: Scope, into diagnostics: inout [Diagnostic]) {
        let at: (Int) -> SourceLocation = { runbook.source.location(ofOffset: $0, in: site) }
        if expression.usesStatusFunction, !scope.allowsStatusFunctions {
            diagnostics.append(Diagnostic(
                site.start,
                "success(), failure(), always() and cancelled() can only be used in 'if:'"))
        }
        for reference in expression.references {
            if let problem = problem(with: reference.path, scope) {
                diagnostics.append(Diagnostic(at(reference.offset), problem.message, hint: problem.hint))
            }
        }
    }

    private func problem(with path: [String], _ scope: Scope) -> (message: String, hint: String?)? {
        guard let root = path.first else { return nil }
        guard scope.contexts.contains(root) else {
            if scope.step == nil, Self.stepContexts.contains(root) {
                return ("a trigger can only read 'alert', not '\(root)'",
                        "a trigger is evaluated when the alert arrives, before any run exists")
            }
            return ("unknown context '\(root)'" + NearestName.didYouMean(root, among: scope.contexts),
                    "expressions can read " + scope.contexts.joined(separator: ", "))
        }
        guard path.count > 1 else { return nil }
        let name = path[1]
        switch root {
        case "inputs":
            if runbook.input(name) == nil {
                return ("unknown input '\(name)'" + NearestName.didYouMean(name, among: runbook.inputs.map(\.name)),
                        runbook.inputs.isEmpty ? "declare it under 'inputs:'"
                            : "the inputs are " + runbook.inputs.map(\.name).joined(separator: ", "))
            }
        case "steps":
            return stepProblem(path, scope)
        default:
            if let known = Self.properties[root], !known.contains(name) {
                return ("'\(root).\(name)' does not exist" + NearestName.didYouMean(name, among: known),
                        "'\(root)' has " + known.joined(separator: ", "))
            }
        }
        return nil
    }

    private func stepProblem(_ path: [String], _ scope: Scope) -> (message: String, hint: String?)? {
        let id = path[1]
        guard let target = stepsByID[id] else {
            return ("unknown step '\(id)'" + NearestName.didYouMean(id, among: runbook.steps.map(\.id)), nil)
        }
        if let reader = scope.step {
            if id == reader.id {
                if !scope.readsOwnStep {
                    return ("step '\(id)' reads its own result, which does not exist yet",
                            "only 'retry.until' may read the step's own outputs")
                }
            } else if !graph.isUpstream(id, of: reader.id) {
                return ("step '\(reader.id)' reads 'steps.\(id)', but '\(id)' does not run before it",
                        "add '\(id)' to the needs of '\(reader.id)' (directly or through a step it needs)")
            }
        }
        guard path.count > 2 else { return nil }
        let property = path[2]
        guard Self.stepProperties.contains(property) else {
            return ("'steps.\(id).\(property)' does not exist" + NearestName.didYouMean(property, among: Self.stepProperties),
                    "a step has " + Self.stepProperties.joined(separator: ", "))
        }
        guard property == "outputs", path.count > 3, let outputs = catalog[target.action]?.outputs else { return nil }
        let output = path[3]
        guard !outputs.contains(where: { $0.name == output }) else { return nil }
        let names = outputs.map(\.name)
        return ("step '\(id)' (\(target.action)) has no output '\(output)'" + NearestName.didYouMean(output, among: names),
                names.isEmpty ? "'\(target.action)' has no outputs" : "its outputs are " + names.joined(separator: ", "))
    }
}
