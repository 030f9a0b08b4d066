import Testing

@testable import RunbookLanguage

/// The shell command scanner: where each `${{ }}` of a command stands, the reference it becomes, and what is refused.
@Suite("Shell command scanner")
struct ShellScriptScannerTests {
    /// The command compiled, or the rejection.
    func compile(_ text: String) throws -> Result<ShellScript, ShellScriptRejection> {
        let template = try Template(parsing: text)
        do {
            return .success(try ShellScript(compiling: template, text: text))
        } catch {
            return .failure(error)
        }
    }

    /// The compiled command; records an issue when it is refused.
    func script(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> ShellScript {
        switch try compile(text) {
        case .success(let script): return script
        case .failure(let rejection):
            Issue.record("refused: \(rejection.refusals.map(\.problem))", sourceLocation: sourceLocation)
            throw rejection
        }
    }

    /// The refusals' problems, by expression; records an issue when the command compiles.
    func refusals(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> [Int: String] {
        switch try compile(text) {
        case .success(let script):
            Issue.record("compiled to: \(script.command)", sourceLocation: sourceLocation)
            return [:]
        case .failure(let rejection):
            return Dictionary(uniqueKeysWithValues: rejection.refusals.map { ($0.index, $0.problem) })
        }
    }

    func contexts(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws
        -> [ShellValuePlacement.Context]
    {
        try script(text, sourceLocation: sourceLocation).placements.map(\.context)
    }

    @Test("a bare word becomes a double-quoted reference, and begins an argument before '--'")
    func bareWord() throws {
        let compiled = try script("kubectl -n ${{ a }} rollout restart deploy/${{ b }} -- ${{ c }}")
        #expect(compiled.command
            == #"kubectl -n "${RUNBOOK_VALUE_1}" rollout restart deploy/"${RUNBOOK_VALUE_2}" -- "${RUNBOOK_VALUE_3}""#)
        #expect(compiled.placements.map(\.context) == [.word, .word, .word])
        #expect(compiled.placements.map(\.beginsArgument) == [true, false, false])
        let flag = try script("curl --max-time=${{ a }} x=${{ b }} ''${{ c }}")
        #expect(flag.placements.map(\.beginsArgument) == [false, false, true])
        #expect(try script("FOO=${{ a }} env").placements[0].beginsArgument == false)
    }

    @Test("inside double quotes the reference is unquoted; it begins an argument only at the word's start")
    func doubleQuotes() throws {
        let compiled = try script(#"echo "${{ a }}" "x ${{ b }} \"${{ c }}\"" "$HOME/${{ d }}""#)
        #expect(compiled.command
            == #"echo "${RUNBOOK_VALUE_1}" "x ${RUNBOOK_VALUE_2} \"${RUNBOOK_VALUE_3}\"" "$HOME/${RUNBOOK_VALUE_4}""#)
        #expect(compiled.placements.map(\.context) == [.doubleQuoted, .doubleQuoted, .doubleQuoted, .doubleQuoted])
        #expect(compiled.placements.map(\.beginsArgument) == [true, false, false, false])
    }

    @Test("a value after a possibly empty expansion or value may still begin the argument")
    func precedingValues() throws {
        let compiled = try script("echo ${{ a }}${{ b }} $x${{ c }}")
        #expect(compiled.placements.map(\.beginsArgument) == [true, true, true])
        #expect(compiled.placements[1].precedingValues == [0])
        #expect(compiled.optionLikeValue(in: ["", "-n", "x"]) == 1)
        #expect(compiled.optionLikeValue(in: ["x", "-n", "x"]) == nil)
        #expect(compiled.optionLikeValue(in: ["x", "y", "-e"]) == 2)
    }

    @Test("heredocs with an unquoted delimiter take the unquoted reference; several on a line, and <<-")
    func heredocs() throws {
        let compiled = try script(
            "cat <<EOF >out; cat <<-END\n${{ a }} $HOME \\$x\nEOF\n\t${{ b }}\n\tEND\necho ${{ c }}\n")
        #expect(compiled.placements.map(\.context) == [.heredoc, .heredoc, .word])
        #expect(compiled.command.contains("${RUNBOOK_VALUE_1} $HOME"))
        #expect(compiled.placements.map(\.beginsArgument) == [false, false, true])
        // A line that only looks like the delimiter because of a continuation does not end the body.
        #expect(try contexts("cat <<EOF\nx\\\nEOF\n${{ a }}\nEOF\n") == [.heredoc])
    }

    @Test("command substitutions and backticks are read recursively, with the same rules")
    func substitutions() throws {
        #expect(try contexts(#"x=$(echo ${{ a }} "${{ b }}") y="$(printf %s "${{ c }}")""#)
            == [.word, .doubleQuoted, .doubleQuoted])
        #expect(try contexts("x=`echo ${{ a }}`; y=`echo \\`echo ${{ b }}\\``") == [.word, .word])
        #expect(try script("v=$(echo ${{ a }})").placements[0].beginsArgument)
        #expect(try contexts("x=$(case $y in a) echo ${{ a }};; esac)") == [.word])
        #expect(try contexts("diff <(echo ${{ a }}) >(cat)") == [.word])
        let nested = try script("out=$(cat <<EOF\n${{ a }}\nEOF\n)")
        #expect(nested.placements.map(\.context) == [.heredoc])
    }

    @Test("comments are harmless; '#' only starts one at a word's start")
    func comments() throws {
        #expect(try contexts("echo hi # ${{ a }} 'it\"s\necho a#${{ b }}") == [.comment, .word])
        #expect(try contexts("x=$(echo a # ) ${{ a }}\n)") == [.comment])
    }

    @Test("compound commands, functions, case patterns, loops and line continuations")
    func compounds() throws {
        let compiled = try script("""
            f() { echo ${{ a }}; }
            if [ -n "${{ b }}" ]; then f; elif true; then :; else echo \\
              ${{ c }}; fi
            for item in ${{ d }} x; do echo "$item"; done
            case ${{ e }} in
              (${{ f }}|b) echo ok ;;
              *) while false; do :; done ;;
            esac
            { echo ${{ g }}; } > /dev/null 2>&1
            """)
        #expect(compiled.placements.map(\.context) == [.word, .doubleQuoted, .word, .word, .word, .word, .word])
        #expect(compiled.placements.map(\.beginsArgument) == [true, false, true, false, false, false, true])
    }

    @Test("values inside single quotes, $'…' and quoted heredocs are refused")
    func literalPlaces() throws {
        #expect(try refusals("echo '${{ a }}'")[0]?.hasPrefix("is inside single quotes") == true)
        #expect(try refusals("echo $'x ${{ a }}'")[0]?.hasPrefix("is inside $'…'") == true)
        for opening in ["<<'EOF'", "<<\"EOF\"", "<<\\EOF", "<<-'EOF'", "<<E\"O\"F"] {
            let problems = try refusals("cat \(opening)\n${{ a }}\nEOF\n")
            #expect(problems[0]?.hasPrefix("is inside a heredoc whose delimiter is quoted") == true, "\(opening)")
        }
    }

    @Test("arithmetic, [[ ]], parameter expansions and subscripts are refused")
    func evaluatingPlaces() throws {
        for text in ["echo $(( ${{ a }} + 1 ))", "(( n = ${{ a }} ))", "echo $[ ${{ a }} ]", "let n=${{ a }}",
                     "for (( i = 0; i < ${{ a }}; i++ )); do :; done"] {
            #expect(try refusals(text)[0]?.hasPrefix("is inside an arithmetic expression") == true, "\(text)")
        }
        #expect(try refusals("[[ ${{ a }} -eq 1 ]] && echo ${{ b }}") == [0: ShellRefusalReason.conditional.problem])
        #expect(try refusals(#"[[ "$(echo ${{ a }})" == x ]]"#)[0] == ShellRefusalReason.conditional.problem)
        #expect(try refusals(#"echo "${x:-${{ a }}}" ${#y}"#)[0]?.hasPrefix("is inside a ${…}") == true)
        #expect(try refusals("a[${{ a }}]=1")[0]?.hasPrefix("is inside an array subscript") == true)
        #expect(try refusals("a=([${{ a }}]=1)")[0]?.hasPrefix("is inside an array subscript") == true)
        #expect(try refusals("declare -i n; n=${{ a }}")[0]?.hasPrefix("is assigned to 'n'") == true)
        #expect(try refusals("local -i n=${{ a }}")[0]?.contains("with -i") == true)
        #expect(try contexts("local n=${{ a }}; export N=\"${{ b }}\"; a=(${{ c }} x)")
                    == [.word, .doubleQuoted, .word])
        #expect(try refusals("PS4=${{ a }}; set -x")[0]?.hasPrefix("is assigned to 'PS4'") == true)
        #expect(try refusals("export BASH_ENV=${{ a }}")[0]?.hasPrefix("is assigned to 'BASH_ENV'") == true)
    }

    @Test("eval, trap, sourced files and variable names are refused")
    func evaluatingCommands() throws {
        #expect(try refusals(#"eval "echo ${{ a }}""#)[0]?.hasPrefix("is an argument of 'eval'") == true)
        #expect(try refusals("command eval ${{ a }}")[0]?.hasPrefix("is an argument of 'eval'") == true)
        #expect(try refusals(#"trap "rm ${{ a }}" EXIT"#)[0]?.contains("'trap'") == true)
        #expect(try refusals(". ${{ a }}")[0]?.contains("runs the file") == true)
        #expect(try refusals("read -r ${{ a }}")[0]?.hasPrefix("names a variable of 'read'") == true)
        #expect(try refusals("printf -v ${{ a }} %s x")[0]?.hasPrefix("names a variable of 'printf -v'") == true)
        #expect(try refusals("export ${{ a }}")[0]?.hasPrefix("names a variable") == true)
        #expect(try refusals("[ -v ${{ a }} ]")[0]?.hasPrefix("names a variable") == true)
        #expect(try contexts("echo eval ${{ a }}") == [.word])
    }

    @Test("the script of a shell, wherever the shell stands among the words, is refused; its arguments are not")
    func shellScripts() throws {
        for text in [#"sh -c "${{ a }}""#, "bash -ec 'echo ${{ a }}'", #"sudo -u pg /bin/bash -lc "x ${{ a }}""#,
                     #"kubectl exec pod -- sh -c "cat ${{ a }}""#, #"env -i dash -o errexit -c "${{ a }}""#,
                     #"sh -c "$(echo ${{ a }})""#, "find . -exec sh -c 'rm ${{ a }}' \\;"] {
            #expect(try refusals(text)[0]?.contains("-c' runs") == true, "\(text)")
        }
        #expect(try refusals("bash <(echo ${{ a }})")[0]?.contains("script file") == true)
        #expect(try refusals("\"$SHELL\" -c \"echo ${{ a }}\"")[0]?.contains("-c' runs") == true)
        #expect(try refusals("echo ${{ a }} | sh``")[0]?.contains("reads its input as shell commands") == true)
        #expect(try contexts("\"$KUBECTL\" get pod ${{ a }}") == [.word])
        let safe = try script(#"sh -c 'printf "%s\n" "$1"' sh ${{ a }}"#)
        #expect(safe.placements.map(\.context) == [.word])
    }

    @Test("what a shell reads as its input is refused: pipes, heredocs and here-strings")
    func shellInput() throws {
        for text in ["echo ${{ a }} | sh", "printf '%s' \"${{ a }}\" | sudo bash -s",
                     "cat <<EOF | bash\n${{ a }}\nEOF\n",
                     "sh <<EOF\n${{ a }}\nEOF\n", "bash <<< \"${{ a }}\"", "{ echo ${{ a }}; } | sh",
                     "cat <<EOF |\n${{ a }}\nEOF\nsh\n", "echo ${{ a }} | ssh host"] {
            #expect(try refusals(text)[0]?.contains("reads its input as shell commands") == true, "\(text)")
        }
        #expect(try refusals("echo ${{ a }} | xargs -I{} sh -c 'echo {}'")[0]?.contains("'xargs'") == true)
        for text in [". /dev/stdin <<< ${{ a }}", "echo ${{ a }} | bash /dev/stdin", "echo ${{ a }} | echo $(sh)",
                     "echo ${{ a }} | x=`bash`", "echo ${{ a }} | command sh``", "echo ${{ a }} | sh -``",
                     "echo ${{ a }} | sudo \"$SH\""] {
            #expect(try refusals(text)[0]?.contains("reads its input as shell commands") == true, "\(text)")
        }
        for text in ["echo ${{ a }} | tee >(sh)", "echo ${{ a }} > >(bash)", "coproc sh; echo ${{ a }} >&3"] {
            #expect(try refusals(text)[0]?.contains("cannot follow") == true, "\(text)")
        }
        #expect(try contexts("echo ${{ a }} | grep -c bash; echo ${{ b }} | ssh host 'cat > x'") == [.word, .word])
    }

    @Test("what ssh sends is refused, but not ssh's own options and host")
    func ssh() throws {
        #expect(try refusals("ssh -o BatchMode=yes -p 22 host uptime ${{ a }}")[0]?.contains("remote host") == true)
        #expect(try refusals("ssh -- \"$h\" sh -s -- ${{ a }} <<'EOF'\necho \"$1\"\nEOF\n")[0]?.contains("remote")
                    == true)
        #expect(try contexts("ssh -i key ${{ a }} uptime") == [.word])
        #expect(try refusals("su -c \"${{ a }}\" pg")[0]?.contains("'su'") == true)
        #expect(try refusals("watch ${{ a }}")[0]?.contains("'watch'") == true)
    }

    @Test("a backslash or '$' right before a value, backticks within double quotes, and delimiters are refused")
    func oddNeighbours() throws {
        #expect(try refusals("echo \\${{ a }}")[0]?.hasPrefix("follows a backslash") == true)
        #expect(try refusals("echo \"\\${{ a }}\"")[0]?.hasPrefix("follows a backslash") == true)
        #expect(try refusals("echo $${{ a }}")[0]?.hasPrefix("follows a '$'") == true)
        #expect(try contexts("echo $$${{ a }} ${{ b }}x$") == [.word, .word])
        #expect(try refusals("echo \"`echo ${{ a }}`\"")[0]?.hasPrefix("is inside backticks") == true)
        #expect(try refusals("cat <<${{ a }}\nx\n")[0]?.hasPrefix("is part of a heredoc's delimiter") == true)
        #expect(try refusals("for ${{ a }} in x; do :; done")[0]?.hasPrefix("names the variable") == true)
    }

    @Test("a command whose syntax cannot be followed is refused rather than guessed")
    func unbalanced() throws {
        for text in ["echo \"${{ a }}", "echo ${{ a }} 'x", "echo ${{ a }} )", "cat <<EOF\n${{ a }}\n",
                     "echo $(echo ${{ a }}", "echo `${{ a }}", "if true; then echo ${{ a }}", "echo ${x ${{ a }}",
                     "case x in a) echo ${{ a }};;", "echo $'it\\'s' ${{ a }}", "[[ ${{ a }} == x"] {
            let problems = try refusals(text)
            #expect(problems.count == 1, "\(text)")
            #expect(problems.values.first.map { $0.contains("runbook cannot follow") || $0.contains("is inside") }
                        == true, "\(text): \(problems)")
        }
        #expect(try refusals("echo ${{ a }}\necho 'x")[0]?.contains("(line 2 of the command)") == true)
    }

    @Test("display writes each value for its place; it is never what runs")
    func shown() throws {
        let compiled = try script("echo ${{ a }} \"${{ b }}\"")
        #expect(compiled.shown(["x y", "q\"q"]) { value, context in "<\(value)|\(context)>" }
                == "echo <x y|word> \"<q\"q|doubleQuoted>\"")
    }
}
