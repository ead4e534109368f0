"""The hostile and malformed values every input of the API meets in the drills (test_malformed_input,
test_malformed_views)."""

TEXT_CORPUS = [
    # SQL injection and LIKE wildcards
    "' OR '1'='1", "'; DROP TABLE interactions;--", "%' UNION SELECT password_hash FROM users--", "%", "_", "\\",
    "1) OR 1=1--", '"; SELECT pg_sleep(5);--',
    # path traversal and markup
    "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "/api/../../../", "<script>alert(1)</script>",
    # control characters and Unicode edges
    "a\x00b", "\x00", "tab\there", "line\nbreak", "\u202eevil\u202c", "\u200fRTL mark", "emoji 😀👩‍👩‍👧",
    "e\u0301 combining", "𝕏𝔸𝕄 4-byte", "\ufeffBOM", "\u2028sep\u2029", "a\ud800b", "  padded  ", "",
    # oversized
    "x" * 201, "y" * 5001, "z" * 100_000,
    # numbers, dates and sizes as text
    "99999999999999999999", "-1", "0", "1e309", "NaN", "2026-02-30", "2026-13-01", "not-a-date",
    "2026-03-01T25:00:00Z", "9999999-01-01", "2026-03-01T10:00:00", "0000-00-00", "-2026-01-01",
]
WRONG_TYPES = [123, -1, 1.5, 10**30, True, None, [], {}, ["a"], {"$ne": ""}, [[[[[]]]]]]
