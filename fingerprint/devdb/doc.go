// Package devdb is medtap's device database: entries that say which vendor,
// product, device class and operating system some evidence points to, and
// a matcher that scores one device's [Evidence] against every entry.
//
// [Default] is the database embedded in medtap (data/*.db, every entry with
// its public source); [Load] reads a file of the same format, [LoadP0F] a
// p0f fingerprint file, and [Database.Merge] joins databases. [Database.Match]
// returns the matching entries best first and [Summarize] sums them up in
// a [Result]. Matching allocates nothing when the caller's slice has room,
// and it is safe for concurrent use.
//
// # Format
//
// A database file is UTF-8 text, one statement a line: a keyword, spaces,
// and a value that runs to the end of the line (trailing spaces trimmed).
// Blank lines and lines starting with '#' are ignored; indentation is free.
//
//	version 2025.1                  # once, before the first entry
//
//	entry ge-signa-mr               # letters, digits, '.', '_', '-'; unique
//	  kind     device               # device (default), software or os
//	  vendor   GE Healthcare
//	  product  SIGNA MR
//	  class    modality             # one of Classes; default unknown
//	  modality MR                   # DICOM modality code, class modality only
//	  os       Linux                # the OS it typically runs (kind os: the OS)
//	  criticality high              # low, medium, high, critical; default from class
//	  source   https://...          # at least one; repeatable
//	  note     free text            # repeatable
//	  test 60 dicom.uid exact 1.2.840.113619.6.44
//	  test 35 dicom.uid prefix 1.2.840.113619.
//	  test 20 dicom.manufacturer prefix "GE MEDICAL"
//	  test 10 dicom.model regexp `^SIGNA (Pioneer|Premier)`
//
// A test is "test WEIGHT FIELD MATCH VALUE": a weight from 1 to 1000, a
// [Field] name ("dicom.uid", "hl7.app", "mac", ... see [Evidence]), a match
// (exact, prefix, suffix, regexp or p0f) and the value, written as is or
// as a Go string literal ("..." or `...`) when it needs leading spaces or
// quotes. Exact, prefix and suffix compare ASCII letters without regard to
// case and take at most [MaxValueLen] bytes; a regexp is RE2 syntax (Go's
// regexp), compiled at load, case-sensitive unless it starts with (?i), and
// matches anywhere unless anchored. mac tests take hexadecimal digits of
// the address (separators ':', '-' and '.' allowed), exact or prefix; p0f
// tests take a p0f 3 TCP signature and match field p0f only. An entry has
// at most [MaxTests] tests.
//
// Errors name the file, line and column ([Error]).
//
// # Scoring
//
// An entry's score is the sum of the weights of its tests that match the
// evidence (each test counts once, however many values of a repeated field
// match it). Its confidence is
//
//	confidence = 1 − e^(−score/50)
//
// so 50 points give 0.63, 100 give 0.86 and 150 give 0.95: independent
// tests combine like independent chances of being wrong, and adding a
// test never lowers a confidence. The rule IDs of the tests that matched
// are listed for every match ([Match.AppendRules]). The embedded files
// weigh an exact DICOM implementation UID 60, a toolkit's UID prefix 50, a
// vendor's UID root 35, an ASTM sender 60, an HL7 sending application 50,
// an SNMP enterprise 40, a Windows release 40 and a MAC block 30.
//
// # Indexing
//
// The index is built when a database is loaded or merged: per field, a map
// of folded exact values, a sorted set of folded prefixes in which each
// knows the longest other prefix of it (one binary search finds every
// prefix of a value), suffixes by length, sorted MAC prefixes per length,
// p0f signatures by TCP option layout, and the regular expressions;
// anchored ones are looked up by their literal prefix first. Matching never
// scans the entries.
package devdb
