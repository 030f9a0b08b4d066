import Foundation
import RunbookTestPeers
import Testing

/// `runbook exec` and the run commands, through the built binary against a real SQLite store.
struct ExecTests {
    /// The events of `type` in `events`, optionally of one step.
    func events(_ events: [[String: Any]], _ type: String, step: String? = nil) -> [[String: Any]] {
        events.filter { $0["type"] as? String == type && (step == nil || $0["step"] as? String == step) }
    }

    @Test("parallel roots really overlap")
    func parallelRoots() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("parallel", """
            steps:
              - { id: one, run: sleep 1, mutating: false, needs: [] }
              - { id: two, run: sleep 1, mutating: false, needs: [] }
            """)
        let result = try workspace.run(["exec", "parallel"])
        #expect(result.status == 0, "\(result.stderr)")
        let finished = try #require(events(try workspace.events(), "run.finished").first)
        let data = try #require(finished["data"] as? [String: Any])
        let milliseconds = try #require(data["duration_ms"] as? Double)
        #expect(milliseconds < 1_600)
    }

    @Test("more parallel steps than CPUs still overlap, and the run's start is recorded before any of theirs")
    func parallelBeyondTheCPUs() throws {
        let workspace = try TemporaryWorkspace()
        let count = ProcessInfo.processInfo.activeProcessorCount + 2
        let steps = (1...count).map { "  - { id: s\($0), run: sleep 1, mutating: false, needs: [] }\n" }.joined()
        try workspace.runbook("wide", "steps:\n" + steps)
        let result = try workspace.run(["exec", "wide"])
        #expect(result.status == 0, "\(result.stderr)")
        let events = try workspace.events()
        #expect(events.first?["type"] as? String == "run.started")
        #expect(self.events(events, "step.started").count == count)
        let finished = try #require(self.events(events, "run.finished").first)
        let milliseconds = try #require((finished["data"] as? [String: Any])?["duration_ms"] as? Double)
        #expect(milliseconds < 1_600)
    }

    @Test("outputs flow between steps, if: failure() branches, and the run fails with exit 1")
    func outputsAndFailureBranch() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("branches", """
            steps:
              - id: count
                run: echo "depth=7" >> "$RUNBOOK_OUTPUT"
                mutating: false
              - id: check
                run: test ${{ steps.count.outputs.depth }} -lt 5
                mutating: false
              - id: handle
                if: failure()
                run: echo "handled depth ${{ steps.count.outputs.depth }}"
                mutating: false
              - id: skipped-on-failure
                run: echo never
                mutating: false
                needs: [check]
            """)
        let result = try workspace.run(["exec", "branches"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("handled depth 7"))
        let all = try workspace.events()
        let handle = try #require(events(all, "step.finished", step: "handle").first?["data"] as? [String: Any])
        #expect(handle["outcome"] as? String == "success")
        let skipped = try #require(events(all, "step.finished", step: "skipped-on-failure").first?["data"] as? [String: Any])
        #expect(skipped["outcome"] as? String == "skipped")
        #expect(!result.stdout.contains("never\n"))
    }

    @Test("retry with until tries again until the step's own output satisfies it")
    func retryUntil() throws {
        let workspace = try TemporaryWorkspace()
        let counter = workspace.path("counter")
        try workspace.runbook("retry", """
            steps:
              - id: poll
                run: |
                  n=$(cat \(counter) 2>/dev/null || echo 0); n=$((n+1)); echo $n > \(counter)
                  echo "n=$n" >> "$RUNBOOK_OUTPUT"
                mutating: false
                retry: { attempts: 5, delay: 100ms, until: "steps.poll.outputs.n >= 3" }
            """)
        let result = try workspace.run(["exec", "retry"])
        #expect(result.status == 0, "\(result.stderr)")
        let all = try workspace.events()
        #expect(events(all, "step.retry", step: "poll").count == 2)
        let finished = try #require(events(all, "step.finished", step: "poll").first?["data"] as? [String: Any])
        #expect((finished["outputs"] as? [String: Any])?["n"] as? String == "3")
        #expect(finished["attempts"] as? Double == 3)
    }

    @Test("a timed-out shell step is killed with its whole process group")
    func timeoutKillsGrandchildren() throws {
        let workspace = try TemporaryWorkspace()
        let pidFile = workspace.path("grandchild.pid")
        try workspace.runbook("slow", """
            steps:
              - id: hang
                run: sh -c 'sleep 300 & echo $! > \(pidFile); wait'
                mutating: false
                timeout: 1s
            """)
        let started = Date()
        let result = try workspace.run(["exec", "slow"])
        #expect(result.status == 1)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(result.stdout.contains("timeout of 1s"))
        let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(workspace.waitFor(seconds: 5) { kill(pid, 0) != 0 })
    }

    @Test("an input that tries to break out of the shell stays one word, and secrets never reach the log")
    func noInjectionNoLeaks() throws {
        let workspace = try TemporaryWorkspace()
        let pwned = workspace.path("pwned")
        try workspace.runbook("inject", """
            inputs:
              name: { type: string }
              token: { type: string, secret: true }
            steps:
              - id: greet
                run: echo "hello" ${{ inputs.name }} && echo "token ${{ inputs.token }}"
                mutating: false
            """)
        let result = try workspace.run(["exec", "inject", "-i", "name=x'; touch \(pwned); '", "-i", "token=hunter2-secret"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: pwned))
        #expect(result.stdout.contains("hello x'; touch \(pwned); '"))
        #expect(!result.stdout.contains("hunter2-secret"))
        let export = try workspace.run(["audit", "export"])
        #expect(!export.stdout.contains("hunter2-secret"))
        #expect(export.stdout.contains("***"))
    }

    @Test("inputs are checked before anything runs")
    func inputChecks() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("checked", """
            inputs:
              service: { pattern: "^[a-z-]+$", required: true }
              count: { type: int, default: 1 }
            steps:
              - { id: a, run: "echo ${{ inputs.service }}", mutating: false }
            """)
        let bad = try workspace.run(["exec", "checked", "-i", "service=api; rm -rf /"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("does not match the pattern"))
        let missing = try workspace.run(["exec", "checked"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("input 'service' is required"))
        let unknown = try workspace.run(["exec", "checked", "-i", "servce=api"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'service'?"))
        let typed = try workspace.run(["exec", "checked", "-i", "service=api", "-i", "count=many"])
        #expect(typed.status == 2)
        #expect(try workspace.latestRun() == nil)
    }

    @Test("--dry-run resolves parameters and records nothing")
    func dryRun() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("plan", """
            inputs:
              service: { default: api }
            steps:
              - { id: a, run: "echo ${{ inputs.service }}", mutating: false }
              - { id: b, action: log, with: { message: "after ${{ steps.a.outputs.x }}" } }
            """)
        let result = try workspace.run(["exec", "plan", "--dry-run"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("echo api"))
        #expect(result.stdout.contains("${{ steps.a.outputs.x }}"))
        #expect(!FileManager.default.fileExists(atPath: workspace.path(".runbook/state.db")))
    }

    @Test("a bad runbook is reported before a bad configuration, and neither creates the store")
    func errorsInOrderAndNoStoreCreated() throws {
        let workspace = try TemporaryWorkspace(config: "store: sqlite:.runbook/state.db\nbogus_key: 1\n")
        try workspace.runbook("broken", "steps:\n  - { id: a, run: true, mutating: false, colour: red }\n")
        try workspace.runbook("fine", "steps:\n  - { id: a, action: log, with: { message: hi } }\n")
        let broken = try workspace.run(["exec", "broken"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("colour"), "\(broken.stderr)")
        #expect(!broken.stderr.contains("bogus_key"), "\(broken.stderr)")
        let badConfig = try workspace.run(["exec", "fine"])
        #expect(badConfig.status == 2)
        #expect(badConfig.stderr.contains("bogus_key"), "\(badConfig.stderr)")
        #expect(badConfig.stderr.contains("runbook.config.yaml is invalid"), "\(badConfig.stderr)")
        #expect(!FileManager.default.fileExists(atPath: workspace.path(".runbook/state.db")))

        // With the store already there (opened while the runbook is read), a bad runbook still changes nothing.
        try workspace.write("runbook.config.yaml", "store: sqlite:.runbook/state.db\n")
        #expect(try workspace.run(["exec", "fine"]).status == 0)
        let head = try workspace.run(["audit", "head"]).stdout
        #expect(try workspace.run(["exec", "broken"]).status == 2)
        #expect(try workspace.run(["exec", "fine", "-i", "nope=1"]).status == 2)
        #expect(try workspace.run(["audit", "head"]).stdout == head)
    }

    @Test("a damaged store, opened while the runbook is read, still fails after the runbook's own problems")
    func damagedStoreOpenedEarly() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("broken", "steps:\n  - { id: a, run: true, mutating: false, colour: red }\n")
        try workspace.runbook("fine", "steps:\n  - { id: a, action: log, with: { message: hi } }\n")
        try FileManager.default.createDirectory(atPath: workspace.path(".runbook"), withIntermediateDirectories: true)
        try workspace.write(".runbook/state.db", String(repeating: "not a database\n", count: 400))
        let broken = try workspace.run(["exec", "broken"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("colour") && !broken.stderr.contains("runbook store"), "\(broken.stderr)")
        let damaged = try workspace.run(["exec", "fine"])
        #expect(damaged.status == 5, "\(damaged.stderr)")
        #expect(damaged.stderr.contains("not a runbook store"), "\(damaged.stderr)")
        #expect(!damaged.stderr.contains("Fatal error") && !damaged.stderr.contains("Backtrace"))
    }

    @Test("--output json prints the events exactly as stored")
    func jsonOutput() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("json", "steps:\n  - { id: a, action: log, with: { message: hi } }\n")
        let result = try workspace.run(["exec", "json", "--output", "json"])
        #expect(result.status == 0)
        let export = try workspace.run(["audit", "export"])
        #expect(result.stdout == export.stdout)
        #expect(result.stdout.split(separator: "\n").count == 4)
        let types = try workspace.events().compactMap { $0["type"] as? String }
        #expect(types == ["run.started", "step.started", "step.finished", "run.finished"])
        // The run's lease is released and its file removed: the folder keeps no trace of finished runs.
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.path(".runbook/locks")).isEmpty)
    }

    @Test("a step whose start cannot be recorded never runs its command, though its shell was started early")
    func unrecordedStartRunsNothing() throws {
        let workspace = try TemporaryWorkspace()
        let (locked, pidFile, ran) = (workspace.path("locked"), workspace.path("locker.pid"), workspace.path("ran"))
        // The first step leaves a process holding the store's write lock, so the second step's start (committed with
        // the first one's end) waits out the busy timeout and fails, while its shell is already waiting.
        try workspace.write("lock.py", """
            import os, sqlite3, sys, time
            connection = sqlite3.connect(sys.argv[1], isolation_level=None)
            connection.execute("BEGIN EXCLUSIVE")
            open(sys.argv[2], "w").write(str(os.getpid()))
            time.sleep(60)
            """)
        try workspace.runbook("locked", """
            steps:
              - id: lock
                run: |
                  python3 lock.py .runbook/state.db \(pidFile) >/dev/null 2>&1 &
                  while [ ! -s \(pidFile) ]; do sleep 0.05; done
                  touch \(locked)
                mutating: false
              - { id: after, run: touch \(ran), mutating: false }
            """)
        let result = try workspace.run(["exec", "locked"])
        if let pid = Int32((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "") { kill(pid, SIGKILL) }
        #expect(FileManager.default.fileExists(atPath: locked))
        #expect(result.status != 0)
        #expect(result.stderr.contains("locked"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ran))
        let verify = try workspace.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(events(try workspace.events(), "step.started", step: "after").isEmpty)
    }

    @Test("kill -9 leaves an interrupted run that status explains and resume finishes, with the chain intact")
    func crashAndResume() throws {
        let workspace = try TemporaryWorkspace()
        let marker = workspace.path("second-pass")
        try workspace.runbook("crash", """
            steps:
              - { id: first, run: echo one, mutating: false }
              - id: long
                run: test -f \(marker) || { touch \(marker); sleep 60; }
                mutating: false
              - { id: last, run: echo done, mutating: false }
            """)
        let run = try workspace.start(["exec", "crash"])
        var id: String?
        #expect(workspace.waitFor { id = try? workspace.latestRun(); return id != nil && FileManager.default.fileExists(atPath: marker) })
        let runID = try #require(id)
        run.signal(SIGKILL)
        _ = run.wait()
        let status = try workspace.run(["status", runID])
        #expect(status.stdout.contains("interrupted"), "\(status.stdout)")
        #expect(status.stdout.contains("while running long"))
        #expect(status.stdout.contains("runbook resume \(runID)"))
        let interruptedRows = try workspace.run(["runs"]).stdout
        #expect(interruptedRows.contains("interrupted"))
        let resumed = try workspace.run(["resume", runID])
        #expect(resumed.status == 0, "\(resumed.stdout)\(resumed.stderr)")
        let after = try workspace.run(["status", runID])
        #expect(after.stdout.contains("succeeded"))
        let verify = try workspace.run(["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(events(try workspace.events(), "step.finished", step: "first").count == 1)
    }

    @Test("a mutating step interrupted mid-way is re-run only after a confirmation")
    func resumeGatesMutatingStep() throws {
        let workspace = try TemporaryWorkspace()
        let marker = workspace.path("started")
        try workspace.runbook("mutate", """
            steps:
              - id: change
                run: test -f \(marker) || { touch \(marker); sleep 60; }
                confirm: false
            """)
        let run = try workspace.start(["exec", "mutate"])
        #expect(workspace.waitFor { FileManager.default.fileExists(atPath: marker) })
        run.signal(SIGKILL)
        _ = run.wait()
        let runID = try #require(try workspace.latestRun())
        let resume = try workspace.start(["resume", runID])
        #expect(workspace.waitFor {
            (try? workspace.run(["status", runID]).stdout.contains("waiting at gate")) ?? false
        })
        let gate = try #require(events(try workspace.events(), "gate.requested", step: "change").first)
        #expect(((gate["data"] as? [String: Any])?["reason"] as? String)?.contains("interrupted") == true)
        #expect(try workspace.run(["approve", runID, "change"], user: "bob").status == 0)
        #expect(resume.wait().status == 0)
    }

    @Test("a byte changed in the SQLite file makes audit verify fail at that seq")
    func tamperDetection() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("tamper", """
            steps:
              - { id: alpha, action: log, with: { message: first } }
              - { id: bravo, action: log, with: { message: second } }
            """)
        #expect(try workspace.run(["exec", "tamper"]).status == 0)
        let target = try #require(try workspace.events().first {
            $0["type"] as? String == "step.started" && $0["step"] as? String == "bravo"
        })
        let seq = try #require(target["seq"] as? Int)
        try tamper(workspace.path(".runbook/state.db"), replacing: "\"step\":\"bravo\",\"actor\":null",
                   with: "\"step\":\"bxavo\",\"actor\":null")
        let verify = try workspace.run(["audit", "verify"])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains("seq \(seq):"), "\(verify.stderr)")
    }

    @Test("Ctrl-C stops running steps, records them cancelled and who pressed it, exits 4")
    func interruptCancels() throws {
        let workspace = try TemporaryWorkspace()
        let pidFile = workspace.path("child.pid")
        try workspace.runbook("interrupt", """
            steps:
              - id: wait
                run: sh -c 'sleep 300 & echo $! > \(pidFile); wait'
                mutating: false
            """)
        let run = try workspace.start(["exec", "interrupt"])
        #expect(workspace.waitFor { FileManager.default.fileExists(atPath: pidFile) })
        Thread.sleep(forTimeInterval: 0.3)
        run.signal(SIGINT)
        let result = run.wait()
        #expect(result.status == 4, "\(result.stdout)\(result.stderr)")
        let finished = try #require(events(try workspace.events(), "step.finished", step: "wait").first?["data"] as? [String: Any])
        #expect(finished["outcome"] as? String == "cancelled")
        let requests = try workspace.events().filter { $0["type"] as? String == "run.cancel_requested" }
        #expect(requests.count == 1)
        #expect((requests.first?["actor"] as? [String: Any])?["id"] as? String == TestAccounts.account("alice"))
        #expect((requests.first?["data"] as? [String: Any])?["via"] as? String == "ctrl-c")
        let log = try workspace.run(["log", try #require(try workspace.latestRun())]).stdout
        #expect(log.contains("cancel requested by \(TestAccounts.account("alice"))"), "\(log)")
        let pid = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(workspace.waitFor(seconds: 5) { kill(pid, 0) != 0 })
    }

    @Test("runbook cancel from another terminal stops a run")
    func cancelCommand() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("long", "steps:\n  - { id: wait, run: sleep 60, mutating: false }\n")
        let run = try workspace.start(["exec", "long"])
        var id: String?
        let started = workspace.waitFor(seconds: 30) {
            id = try? workspace.latestRun()
            return id != nil && run.stdout.contains("… wait")
        }
        #expect(started, "exec printed: \(run.stdout)")
        let cancel = try workspace.run(["cancel", try #require(id)])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(run.wait().status == 4)
    }
}

/// Where the runbooks folder and the store are found, and cancelling a dead run.
struct WorkspaceTests {
    @Test("commands that open a new store at the same moment all succeed (none is refused as 'database is locked')")
    func concurrentFirstOpen() throws {
        for _ in 0..<5 {
            let workspace = try TemporaryWorkspace()
            try workspace.runbook("quick", "steps:\n  - { id: a, action: log, with: { message: hi } }\n")
            let commands = (0..<6).map { $0 % 2 == 0 ? ["runs"] : ["exec", "quick"] }
            let processes = try commands.map { arguments in
                try PeerProcess(
                    RunbookBinary.path, arguments, environment: ["NO_COLOR": "1"], directory: workspace.root.path,
                    error: workspace.path("err-\(UUID().uuidString)"))
            }
            for (process, arguments) in zip(processes, commands) {
                #expect(process.wait(seconds: 30) == 0, "runbook \(arguments.joined(separator: " ")) failed")
            }
        }
    }

    @Test("--config and $RUNBOOK_CONFIG move the runbooks folder and the store with them")
    func configMovesLibrary() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("far", "steps:\n  - { id: a, action: log, with: { message: far away } }\n")
        let elsewhere = FileManager.default.temporaryDirectory
        let config = workspace.path("runbook.config.yaml")
        let explicit = try RunbookBinary.run(["exec", "far", "--config", config], in: elsewhere)
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(explicit.stdout.contains("far away"))
        let bare = try RunbookBinary.run(["runs", "--config", "runbook.config.yaml"], in: workspace.root)
        #expect(bare.stdout.contains("far"), "a bare file name is relative to the current folder: \(bare.stderr)")
        let fromEnvironment = try RunbookBinary.run(["runs"], in: elsewhere, environment: ["RUNBOOK_CONFIG": config])
        #expect(fromEnvironment.stdout.contains("far"))
        #expect(FileManager.default.fileExists(atPath: workspace.path(".runbook/state.db")))
    }

    @Test("store, configuration, run and environment errors exit with their codes and say what to fix")
    func errorPaths() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("hi", "steps:\n  - { id: a, action: log, with: { message: hi } }\n")
        let unopenable = try workspace.run(["exec", "hi", "--store", "sqlite:/proc/no-such-dir/state.db"])
        #expect(unopenable.status == 5, "\(unopenable.stderr)")
        #expect(unopenable.stderr.contains("/proc/no-such-dir/state.db"))
        let postgres = try workspace.run(["runs", "--store", "postgres://db.example/runbook"])
        #expect(postgres.status == 5)
        #expect(postgres.stderr.contains("cannot connect to PostgreSQL at db.example:5432"), "\(postgres.stderr)")
        let noStore = try workspace.run(["status", "r-nope"])
        #expect(noStore.status == 2)
        #expect(noStore.stderr.contains("no store at sqlite:.runbook/state.db yet"), "\(noStore.stderr)")
        #expect(try workspace.run(["store", "init"]).status == 0)
        let unknownRun = try workspace.run(["status", "r-nope"])
        #expect(unknownRun.status == 2)
        #expect(unknownRun.stderr.contains("no run 'r-nope'"))
        let unknownEnvironment = try workspace.run(["exec", "hi", "--env", "prdo"])
        #expect(unknownEnvironment.status == 2)
        #expect(unknownEnvironment.stderr.contains("no environment 'prdo'"))
        try workspace.write("runbook.config.yaml", "store: sqlite:.runbook/state.db\nenvironments:\n  prod: { vars: [1, 2\n")
        let broken = try workspace.run(["exec", "hi"])
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("runbook.config.yaml:4:1: error: invalid YAML"), "\(broken.stderr)")
        let runs = try workspace.run(["runs", "--config", "/dev/null", "--store", "sqlite:" + workspace.path(".runbook/state.db")])
        #expect(runs.status == 0)
        #expect(!runs.stdout.contains(" hi "), "no run starts while anything is invalid")
    }

    @Test("cancelling an interrupted run closes its unfinished steps", .enabled(if: TestAccounts.canSwitch))
    func cancelInterrupted() throws {
        let workspace = try TemporaryWorkspace()
        let marker = workspace.path("started")
        try workspace.runbook("dead", "steps:\n  - { id: hang, run: \"touch \(marker); sleep 60\", mutating: false }\n")
        let run = try workspace.start(["exec", "dead"])
        #expect(workspace.waitFor { FileManager.default.fileExists(atPath: marker) })
        run.signal(SIGKILL)
        _ = run.wait()
        let id = try #require(try workspace.latestRun())
        let cancel = try workspace.run(["cancel", id], user: "bob")
        #expect(cancel.status == 0, "\(cancel.stderr)")
        let status = try workspace.run(["status", id]).stdout
        #expect(status.contains("cancelled"))
        #expect(!status.contains("running"))
        #expect(try workspace.run(["log", id]).stdout.contains("run cancelled by \(TestAccounts.account("bob"))"))
        #expect(try workspace.run(["resume", id]).status == 2)
    }
}

/// `runbook note`.
struct NoteTests {
    @Test("a note is recorded with its author on a run and on an incident", .enabled(if: TestAccounts.canSwitch))
    func notes() throws {
        let workspace = try TemporaryWorkspace()
        try workspace.runbook("noted", "steps:\n  - { id: a, action: log, with: { message: hi } }\n")
        #expect(try workspace.run(["exec", "noted", "--incident", "inc-42"]).status == 0)
        let run = try #require(try workspace.latestRun())
        #expect(try workspace.run(["note", run, "OOM", "confirmed", "in", "logs"], user: "bob").status == 0)
        #expect(try workspace.run(["note", "--incident", "inc-42", "customer impact ended"], user: "carol").status == 0)
        let notes = try workspace.events().filter { $0["type"] as? String == "note.added" }
        #expect(notes.count == 2)
        #expect((notes[0]["data"] as? [String: Any])?["text"] as? String == "OOM confirmed in logs")
        #expect((notes[0]["actor"] as? [String: Any])?["id"] as? String == TestAccounts.account("bob"))
        #expect(notes[1]["incident"] as? String == "inc-42")
        let empty = try workspace.run(["note", run])
        #expect(empty.status == 2)
        #expect(try workspace.run(["log", run]).stdout.contains("\(TestAccounts.account("bob")): OOM confirmed in logs"))
    }
}
