import Foundation
import Testing

@testable import RunbookLanguage

@Suite("Templates and conditions")
struct TemplateTests {
    private let context = EvaluationContext(contexts: expressionSampleContexts)

    @Test("a template that is only one expression keeps the value's type")
    func typeKeeping() throws {
        #expect(try Template(parsing: "${{ inputs.count }}").render(in: context) == 3)
        #expect(try Template(parsing: "${{inputs.flag}}").render(in: context) == true)
        #expect(try Template(parsing: "${{ inputs.names }}").render(in: context) == ["a", "b", "c"])
        #expect(try Template(parsing: "${{ inputs.missing }}").render(in: context) == .null)
        #expect(try Template(parsing: "${{ \n inputs.count \t }}").singleExpression?.source == "inputs.count")
        #expect(try Template(parsing: " ${{ inputs.count }}").render(in: context) == " 3")
        #expect(try Template(parsing: "${{ inputs.count }} ").render(in: context) == "3 ")
        #expect(try Template(parsing: "${{ inputs.count }}${{ inputs.count }}").render(in: context) == "33")
    }

    @Test("text and expressions concatenate with template string conversion")
    func mixed() throws {
        let template = try Template(
            parsing:
                "Scale ${{ inputs.service }} to ${{ inputs.count }} (${{ inputs.flag }}, ${{ inputs.missing }}, ${{ "
                + "inputs.names }}, ${{ inputs.ratio }})"
        )
        #expect(try template.render(in: context) == #"Scale api to 3 (true, , ["a","b","c"], 0.5)"#)
        #expect(
            template.expressions.map(\.source) == [
                "inputs.service", "inputs.count", "inputs.flag", "inputs.missing", "inputs.names", "inputs.ratio",
            ])
        #expect(template.singleExpression == nil)
        #expect(!template.isLiteral)
    }

    @Test("segments split text and expressions; plain text is literal")
    func segments() throws {
        let template = try Template(parsing: "a ${{ x }}${{ y }} b")
        #expect(
            template.segments == [
                .text("a "), .expression(try Expression(parsing: "x")), .expression(try Expression(parsing: "y")),
                .text(" b"),
            ])
        let plain = try Template(parsing: "no expressions, just $ and { and }} and ${ x }")
        #expect(plain.isLiteral)
        #expect(plain.segments == [.text("no expressions, just $ and { and }} and ${ x }")])
        #expect(try plain.render(in: context) == "no expressions, just $ and { and }} and ${ x }")
        #expect(try Template(parsing: "").segments.isEmpty)
        #expect(try Template(parsing: "").render(in: context) == "")
        #expect(try Template(parsing: "$${{ 1 }}}").render(in: context) == "$1}")
    }

    @Test("'}}' inside a string literal does not end the expression")
    func bracesInStrings() throws {
        #expect(try Template(parsing: "${{ format('{{x}}') }}").render(in: context) == "{x}")
        #expect(try Template(parsing: "${{ '}}' }}").render(in: context) == "}}")
        #expect(try Template(parsing: "a${{ 'it''s }}' }}b").render(in: context) == "ait's }}b")
        #expect(try Template(parsing: "${{ format('{0}}}', inputs.service) }}").render(in: context) == "api}")
    }

    @Test("an unclosed '${{' is an error at its offset")
    func unclosed() {
        #expect(
            templateError("echo ${{ inputs.x")
                == ExpressionError(offset: 5, message: "'${{' is never closed; end the expression with '}}'"))
        #expect(
            templateError("é ${{ 'x }}")
                == ExpressionError(
                    offset: 2,
                    message:
                        "'${{' is never closed; end the expression with '}}' (the string literal at offset 6 is "
                        + "never closed with ', so it runs to the end)"
                ))
        #expect(
            templateError("${{ a }} and ${{ b }")
                == ExpressionError(offset: 13, message: "'${{' is never closed; end the expression with '}}'"))
        #expect(templateError("${{")?.offset == 0)
    }

    @Test("expression errors report offsets in the whole template")
    func expressionErrorOffsets() {
        #expect(templateError("x ${{ a $ }}") == ExpressionError(offset: 8, message: "unexpected character '$'"))
        #expect(
            templateError("😀 ${{ inputs.x }} ${{ contain(a, b) }}")
                == ExpressionError(offset: 22, message: "unknown function 'contain' (did you mean 'contains'?)"))
        #expect(
            templateError("${{ }}")
                == ExpressionError(
                    offset: 4,
                    message: "empty expression; write a value, a context such as 'inputs.name', or a function call"))
        #expect(
            templateError("${{ (a }}")
                == ExpressionError(
                    offset: 7, message: "expected ')' to close '(' at offset 4, found the end of the expression"))
    }

    @Test("references in templates carry offsets into the whole text")
    func templateReferences() throws {
        let template = try Template(parsing: "é ${{ inputs.a }} ${{ steps.b.outcome }}")
        #expect(
            template.expressions.flatMap(\.references) == [
                ContextReference(path: ["inputs", "a"], offset: 6),
                ContextReference(path: ["steps", "b", "outcome"], offset: 22),
            ])
    }

    @Test("runtime errors in templates report offsets in the whole text")
    func runtimeErrorOffsets() {
        do {
            _ = try Template(parsing: "x ${{ fromJSON(inputs.service) }}").render(in: context)
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 6)
        }
    }

    @Test("conditions take a bare expression or one wrapped in '${{ }}'")
    func conditions() throws {
        #expect(try Condition.parse("steps.health.outcome == 'failure'").evaluate(in: context) == true)
        #expect(try Condition.parse("${{ steps.health.outcome == 'failure' }}").evaluate(in: context) == true)
        #expect(try Condition.parse("  ${{ inputs.count > 2 }}  \n").evaluate(in: context) == true)
        #expect(try Condition.parse("${{ failure() }}").usesStatusFunction)
        #expect(try Condition.parse("inputs.x == '${{'").references.map(\.path) == [["inputs", "x"]])
        #expect(
            try Condition.parse("  ${{ inputs.a }}").references == [ContextReference(path: ["inputs", "a"], offset: 6)])
        #expect(try Condition.parse(" inputs.a").references == [ContextReference(path: ["inputs", "a"], offset: 1)])
        #expect(try Condition.parse("${{ '}}' == x }}").root == parsedTree("'}}' == x"))
    }

    @Test("condition errors are relative to the condition text")
    func conditionErrors() {
        #expect(
            conditionError("${{ a }} && ${{ b }}")
                == ExpressionError(
                    offset: 9,
                    message:
                        "unexpected text after '}}'; a condition in '${{ }}' must be one expression, so put all of "
                        + "it inside the braces or drop them"
                ))
        #expect(
            conditionError(" ${{ a ")
                == ExpressionError(offset: 1, message: "'${{' is never closed; end the expression with '}}'"))
        #expect(
            conditionError("${{ a = b }}")
                == ExpressionError(offset: 6, message: "unexpected character '='; compare with '=='"))
        #expect(
            conditionError("a == ${{ b }}")
                == ExpressionError(
                    offset: 5,
                    message: "unexpected character '$'; '${{ }}' must wrap the whole expression and cannot be nested"))
        #expect(
            conditionError("")
                == ExpressionError(
                    offset: 0,
                    message: "empty expression; write a value, a context such as 'inputs.name', or a function call"))
        #expect(conditionError("${{}}")?.offset == 3)
    }

    private func templateError(_ text: String) -> ExpressionError? {
        do {
            _ = try Template(parsing: text)
            return nil
        } catch {
            return error
        }
    }

    private func conditionError(_ text: String) -> ExpressionError? {
        do {
            _ = try Condition.parse(text)
            return nil
        } catch {
            return error
        }
    }
}
