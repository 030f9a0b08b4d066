/// What each severity level means, after PagerDuty's published severity definitions, for the postmortem.
enum SeverityMeaning {
    /// The one-line definition of `severity` (`SEV1` … `SEV4`); nil for anything else.
    static func definition(of severity: String) -> String? {
        switch severity {
        case "SEV1": "Critical issue that warrants public notification and liaison with executive teams."
        case "SEV2": "Critical system issue actively impacting many customers' ability to use the product."
        case "SEV3":
            "Stability or minor customer-impacting issues that require immediate attention from service owners."
        case "SEV4": "Minor issues requiring action, but not affecting customer ability to use the product."
        default: nil
        }
    }

    /// Whether `severity` calls for the major-incident response (SEV1 and SEV2).
    static func isMajor(_ severity: String) -> Bool { severity == "SEV1" || severity == "SEV2" }
}
