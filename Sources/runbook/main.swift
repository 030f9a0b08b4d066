import RunbookCLI

await RunbookCLI.main()
