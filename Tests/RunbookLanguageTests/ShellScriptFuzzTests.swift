import Foundation
import Testing

@testable import RunbookLanguage

/// Commands built at random from pieces of shell syntax, each with `${{ v }}` somewhere: whatever the scanner
/// accepts, run by the real `sh` and `bash` with hostile values in the variables, never runs a value.
@Suite("Shell command scanner, fuzzed")
struct ShellScriptFuzzTests {
    /// A small deterministic generator (SplitMix64), so a failure can be reproduced from its seed.
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    /// Simple commands with the value in them (`V`), safe and unsafe places alike.
    static let leaves = [
        "echo V", "echo \"a V b\"", "echo 'a V b'", "x=V; echo \"$x\"", "echo $(echo V)", "echo `echo V`",
        "echo \"$(echo \"V\")\"", "[[ V == x ]]", "echo $(( V ))", "eval \"echo V\"", "sh -c \"echo V\"",
        "sh -c 'echo \"$1\"' sh V", "case V in x) echo x;; *) echo y;; esac", "for i in V; do echo \"$i\"; done",
        ": ${x:-V}", "printf '%s\\n' V | cat", "echo V | sh", "echo V # V", "test \"V\" = x || true",
        "if [ -n \"V\" ]; then echo n; fi", "let n=V", "declare -i n=V", "trap \"echo V\" EXIT", "echo $'V'",
        "cat <<EOF\nV\nEOF", "cat <<'EOF'\nV\nEOF", "cat <<-EOF\n\tV $HOME\n\tEOF", "echo \\V", "echo $V",
        "a[V]=1", "export N=V", "export V", "read -r V < /dev/null", "printf -v x %s V", "bash -c 'echo V'",
        "echo V | xargs -I{} sh -c 'echo {}'", "echo \"`echo V`\"", "f() { echo V; }; f", "echo ${#V}",
        "echo V >/dev/null 2>&1", "PS4=V; set -x; :", "export PS4=\"V\"; set -x; :", "echo V | tee >(sh) >/dev/null",
        "echo V > >(bash)", "echo V | env sh",
        "echo V | $(echo sh)", "bash <<< V", "echo V | sudo -n sh", "echo V | command sh", "echo V | exec sh",
        "sh < <(echo V)", "source <(echo V)", ". /dev/stdin <<< V", "echo V | bash /dev/stdin", "echo V | sh -",
        "echo V | sh -s --", "printf %s V | xargs sh -c", "echo V | time sh", "coproc sh; echo V >&${COPROC[1]}",
        "cat <<< V", "{ echo V; } | cat", "(echo V)", "echo V && echo V || echo V",
        "ssh -o BatchMode=yes nohost V", "x=$(cat <<EOF\nV\nEOF\n); echo \"$x\"", "echo \"${V}\"",
        "echo V$V", "a=(V x); echo \"${a[0]}\"", "echo $[V]", "((V))", "for ((i = 0; i < V; i++)); do :; done",
    ]

    /// Ways to put a command inside a bigger one (`C`).
    static let wrappers = [
        "C", "C; echo z", "echo $(C)", "echo \"$(C)\"", "echo `C`", "if true; then C; fi",
        "while true; do C; break; done",
        "(C)", "{ C; }", "C | cat", "g() { C; }; g", "cat <<EOF\n$(C)\nEOF", "case x in x) C;; esac", "true && C",
        "C\necho z", "x=$(C)", "for i in 1; do C; done", "echo \"x $(C) y\"",
    ]

    static func command(_ generator: inout Generator) -> String {
        var text = leaves[generator.next(leaves.count)]
        for _ in 0..<generator.next(4) {
            text = wrappers[generator.next(wrappers.count)].replacingOccurrences(of: "C", with: text)
        }
        return text.replacingOccurrences(of: "V", with: "${{ v }}")
    }

    /// Runs `command` with `shell`, every `RUNBOOK_VALUE_n` set to `value`, input from /dev/null, 10 s at most.
    static func run(_ shell: String, _ command: String, value: String, count: Int) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["10", shell, "-c", command]
        var environment = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent"]
        for index in 0..<count { environment[ShellScript.variable(index)] = value }
        process.environment = environment
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
    }

    @Test("what the scanner accepts never runs a value, in sh or bash; some of everything is refused")
    func acceptedCommandsAreSafe() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rbfz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let marker = directory.appendingPathComponent("pwned").path
        let touch = "touch \(marker)"
        let values = [
            "$(\(touch))", "`\(touch)`", "'; \(touch); '", "\"; \(touch); \"", "a[$(\(touch))]", "x\n\(touch)\n",
            "\nEOF\n\(touch)\nEOF\n", "$((a[$(\(touch))]))", "x; \(touch)", "{ \(touch); }",
        ]
        var generator = Generator(state: 20_261_207)
        var accepted = 0
        var refused = 0
        for round in 0..<600 {
            let text = Self.command(&generator)
            let template = try Template(parsing: text)
            let script: ShellScript
            do {
                script = try ShellScript(compiling: template, text: text)
            } catch {
                refused += 1
                continue
            }
            accepted += 1
            let value = values[round % values.count]
            for shell in ["sh", "bash"] {
                try Self.run(shell, script.command, value: value, count: script.expressions.count)
                #expect(!FileManager.default.fileExists(atPath: marker),
                        "\(shell) ran the value \(value.debugDescription) of: \(text.debugDescription)")
                try? FileManager.default.removeItem(atPath: marker)
            }
        }
        #expect(accepted > 60)
        #expect(refused > 60)
    }
}
