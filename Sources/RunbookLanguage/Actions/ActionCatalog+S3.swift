extension ActionCatalog {
    /// The Amazon S3 actions.
    static let s3: [ActionSpec] = [
        ActionSpec(
            name: "s3.bucket",
            summary: "Checks a bucket answers, and reads its policy, public-access block and newest objects.",
            mutating: false, defaultTimeout: .seconds(120),
            parameters: [
                .required("bucket", .string, "The bucket's name."),
                .optional("prefix", .string, "Only objects whose keys start with this, e.g. 'uploads/'."),
                .optional("newest", .int, "How many of the newest objects to list.", default: 10),
                .optional("max_objects", .int, "Stop reading the listing after this many objects.", default: 10_000),
            ],
            outputs: [
                OutputSpec("exists", "Whether the bucket exists; false (not a failure) when S3 says NoSuchBucket."),
                OutputSpec("region", "The bucket's region, as S3 reports it."),
                OutputSpec("policy", "The bucket policy, parsed; null when it has none."),
                OutputSpec("public_access_block", "The four public-access settings; null when none is set."),
                OutputSpec("public_access_blocked", "Whether all four public-access settings are on."),
                OutputSpec("count", "Objects under the prefix (up to max_objects)."),
                OutputSpec("truncated", "Whether there are more objects than max_objects."),
                OutputSpec("latest_modified", "The newest object's LastModified; null when there is none."),
                OutputSpec("latest_age_seconds", "Seconds since then; null when there is no object."),
                OutputSpec("objects", "The newest objects, {key, size, last_modified}, newest first."),
            ]),
    ]
}
