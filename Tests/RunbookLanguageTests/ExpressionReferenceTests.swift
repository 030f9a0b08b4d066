import Testing

@testable import RunbookLanguage

@Suite("Expression references and status functions")
struct ExpressionReferenceTests {
    /// The paths and offsets of `source`'s references.
    private func references(_ source: String, offset: Int = 0) throws -> [[String]] {
        try Expression(parsing: source, offset: offset).references.map(\.path)
    }

    @Test("a chain's static prefix, stopping at the first dynamic or numeric index")
    func staticPrefix() throws {
        #expect(try references("steps.scale-up.outputs['x'].y[0]") == [["steps", "scale-up", "outputs", "x", "y"]])
        #expect(try references("inputs") == [["inputs"]])
        #expect(try references("inputs.a[0].b") == [["inputs", "a"]])
        #expect(try references("inputs[true].b") == [["inputs"]])
        #expect(try references("steps[inputs.step].outputs") == [["steps"], ["inputs", "step"]])
        #expect(try references("a[b[c]].d[e]") == [["a"], ["b"], ["c"], ["e"]])
        #expect(try references("steps.a.outputs['x y']") == [["steps", "a", "outputs", "x y"]])
    }

    @Test("every reference anywhere in the tree, in source order")
    func everywhere() throws {
        let source = "!(inputs.a == steps.b.outcome) && contains(env.LIST, alert.labels['team']) || run.id"
        #expect(
            try references(source) == [
                ["inputs", "a"], ["steps", "b", "outcome"], ["env", "LIST"], ["alert", "labels", "team"],
                ["run", "id"],
            ])
        #expect(try references("'inputs.a' == 1 || success()") == [])
        #expect(try references("fromJSON(steps.x.outputs.json).items[0]") == [["steps", "x", "outputs", "json"]])
        #expect(try references("(inputs).a") == [["inputs", "a"]])
    }

    @Test("offsets point at the root identifier, plus the base offset")
    func offsets() throws {
        let found = try Expression(parsing: "'é' == inputs.x || steps['a'].b", offset: 5).references
        #expect(
            found == [
                ContextReference(path: ["inputs", "x"], offset: 12),
                ContextReference(path: ["steps", "a", "b"], offset: 24),
            ])
        #expect(found[1].description == "steps.a.b")
    }

    @Test(
        "usesStatusFunction finds status functions anywhere",
        arguments: [
            ("success()", true), ("always()", true), ("failure() && inputs.x", true), ("!cancelled()", true),
            ("contains(toJSON(failure()), 'true')", true), ("inputs.x == 'success()'", false), ("success", false),
            ("steps.a.outcome == 'failure'", false), ("format('{0}', always())", true),
        ] as [(String, Bool)])
    func statusFunctionUse(source: String, expected: Bool) throws {
        #expect(try Expression(parsing: source).usesStatusFunction == expected)
    }
}
