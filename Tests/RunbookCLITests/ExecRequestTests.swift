import ArgumentParser
import Foundation
import Testing

@testable import RunbookCLI

/// `exec`'s quick argument reader reads what ArgumentParser reads, and leaves everything else to it.
@Suite("exec's quick argument reader")
struct ExecRequestTests {
    @Test("plain command lines read the same as through ArgumentParser")
    func agreesWithArgumentParser() throws {
        let commandLines: [[String]] = [
            ["exec", "api-down"],
            ["exec", "api-down", "-i", "service=api", "--input", "x=y z", "--input=z=1"],
            ["exec", "--runbooks", "rb", "api-down", "--store=sqlite:s.db", "--config", "c.yaml"],
            ["exec", "api-down", "--env", "prod", "--severity", "SEV1", "--incident", "inc-1", "--since", "10m", "-y",
             "--dry-run", "--output", "json"],
            ["exec", "api-down", "--yes", "--output=text", "--since=2026-11-22T10:04:00Z"],
        ]
        for arguments in commandLines {
            let quick = try #require(ExecRequest(quickParsing: arguments), "\(arguments)")
            let parsed = try #require(try RunbookCommand.parseAsRoot(arguments) as? ExecCommand, "\(arguments)")
            #expect(quick == ExecRequest(parsed), "\(arguments)")
        }
    }

    @Test("help, mistakes and anything unusual go to ArgumentParser")
    func leavesTheRestToArgumentParser() {
        let commandLines: [[String]] = [
            ["exec"], ["exec", "a", "b"], ["exec", "a", "--help"], ["exec", "-h"], ["exec", "a", "--env"],
            ["exec", "a", "--env", "-x"], ["exec", "a", "--env="], ["exec", "a", "--env", "p", "--env", "q"],
            ["exec", "a", "-yi", "k=v"], ["exec", "a", "--output", "yaml"], ["exec", "a", "--", "b"],
            ["exec", "a", "--frobnicate"], ["exec", "a", "--yes=true"], ["exec", "a", "-y", "-y"], ["list"], [],
        ]
        for arguments in commandLines {
            #expect(ExecRequest(quickParsing: arguments) == nil, "\(arguments)")
        }
    }

    @Test("every option `exec --help` lists is one the quick reader knows")
    func knowsEveryOption() {
        let help = ExecCommand.helpMessage(columns: 1_000)
        let spelled = Set(help.split(whereSeparator: { " ,\n<>[]".contains($0) })
            .filter { $0.hasPrefix("-") && $0.count > 1 }.map(String.init))
        #expect(!spelled.isEmpty)
        for option in spelled.subtracting(["-h", "--help"]) {
            #expect(ExecRequest.options[option] != nil, "\(option) is not read by ExecRequest(quickParsing:)")
        }
    }
}
