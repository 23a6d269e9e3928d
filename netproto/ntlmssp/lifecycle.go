package ntlmssp

import (
	"bytes"
	"time"
)

// The end of Microsoft's support of the Windows releases behind
// [Version.EndOfSupport] and [EndOfSupportOS]. Several releases share one
// version (Windows 7 SP1 and Server 2008 R2 both send 6.1.7601; Windows 10
// 21H2, Enterprise LTSC 2021 and IoT Enterprise LTSC 2021 send 10.0.19044),
// and the version says nothing of the edition, so the date of an entry is
// the latest end of support of every release and edition that sends it:
// a host past it runs an unsupported release whatever it is. Extended
// Security Updates (paid, ESU) are not counted: the dates are those of the
// end of extended support (end of servicing for Windows 10 and 11
// versions).
//
// Windows 10 versions that no LTSC or Server release shares are given
// October 14, 2025, the end of support of Windows 10 22H2, the last
// version: every earlier one ended before (most years before, Enterprise
// and Education editions last), so the date is late, never early. Builds
// still supported by one of their releases (10.0.14393 with Server 2016,
// 10.0.17763 with LTSC 2019 and Server 2019, 10.0.19044 with IoT
// Enterprise LTSC 2021, Server 2022) carry that release's date; builds
// whose end is not yet announced, and the 10.0 family of builds not in the
// table, have none. Samba's fixed 6.1.0 has none.
//
// Source: Microsoft Lifecycle, the product pages under
// https://learn.microsoft.com/lifecycle/products/ (Windows 2000, Windows
// XP, Windows Server 2003, Windows Vista, Windows Server 2008 and 2008 R2,
// Windows 7, Windows 8, Windows 8.1, Windows Server 2012 and 2012 R2,
// Windows 10 Home and Pro, Windows 10 Enterprise and Education, Windows 10
// 2015 LTSB, 2016 LTSB, Enterprise LTSC 2019, IoT Enterprise LTSC 2021,
// Windows Server 2016, 2019, 2022, Windows Server annual channel, Windows
// 11 Enterprise and Education).
type endOfSupport struct {
	major, minor uint8
	build        uint16 // 0xffff: any build of the family not listed
	y, m, d      int
}

const anyBuild = 0xffff

var lifecycle = [...]endOfSupport{
	{5, 0, anyBuild, 2010, 7, 13},  // Windows 2000
	{5, 1, anyBuild, 2014, 4, 8},   // Windows XP
	{5, 2, anyBuild, 2015, 7, 14},  // Windows XP x64 (2014-04-08), Server 2003
	{6, 0, 6000, 2017, 4, 11},      // Windows Vista (RTM; no Server release)
	{6, 0, anyBuild, 2020, 1, 14},  // Windows Vista (2017-04-11), Server 2008
	{6, 1, 0, 0, 0, 0},             // Samba: no end
	{6, 1, anyBuild, 2020, 1, 14},  // Windows 7, Server 2008 R2
	{6, 2, anyBuild, 2023, 10, 10}, // Windows 8 (2016-01-12), Server 2012
	{6, 3, anyBuild, 2023, 10, 10}, // Windows 8.1 (2023-01-10), Server 2012 R2
	{10, 0, 10240, 2025, 10, 14},   // Windows 10 1507, 2015 LTSB
	{10, 0, 10586, 2025, 10, 14},   // 1511
	{10, 0, 14393, 2027, 1, 12},    // 1607, 2016 LTSB (2026-10-13), Server 2016
	{10, 0, 15063, 2025, 10, 14},   // 1703
	{10, 0, 16299, 2025, 10, 14},   // 1709, Server 1709
	{10, 0, 17134, 2025, 10, 14},   // 1803, Server 1803
	{10, 0, 17763, 2029, 1, 9},     // 1809, LTSC 2019, Server 2019
	{10, 0, 18362, 2025, 10, 14},   // 1903, Server 1903
	{10, 0, 18363, 2025, 10, 14},   // 1909, Server 1909
	{10, 0, 19041, 2025, 10, 14},   // 2004, Server 2004
	{10, 0, 19042, 2025, 10, 14},   // 20H2, Server 20H2
	{10, 0, 19043, 2025, 10, 14},   // 21H1
	{10, 0, 19044, 2032, 1, 13},    // 21H2, Enterprise LTSC 2021 (2027-01-12), IoT Enterprise LTSC 2021
	{10, 0, 19045, 2025, 10, 14},   // 22H2
	{10, 0, 20348, 2031, 10, 14},   // Server 2022
	{10, 0, 22000, 2024, 10, 8},    // Windows 11 21H2 (Enterprise and Education)
	{10, 0, 22621, 2025, 10, 14},   // Windows 11 22H2 (Enterprise and Education)
	{10, 0, 22631, 2026, 11, 10},   // Windows 11 23H2 (Enterprise and Education)
	{10, 0, 25398, 2025, 10, 24},   // Windows Server 23H2 (annual channel)
}

// EndOfSupport returns the last day of Microsoft's support of the Windows
// releases that send version v (midnight UTC of that day), and whether
// one is known. A host seen after that day runs a Windows release that no
// longer gets security updates (without paid extended updates). Where
// releases share a version (Windows 7 SP1 and Server 2008 R2, a Windows 10
// build and its LTSC edition) the date is the latest of theirs, so it is
// never early. It is false for Samba (6.1.0), for versions that are not
// Windows', for releases still supported without an announced end and for
// 10.0 builds it does not know.
func (v Version) EndOfSupport() (time.Time, bool) {
	var fam *endOfSupport
	for i := range lifecycle {
		l := &lifecycle[i]
		if l.major != v.Major || l.minor != v.Minor {
			continue
		}
		if l.build == v.Build {
			return l.date()
		}
		if l.build == anyBuild {
			fam = l
		}
	}
	if fam == nil {
		return time.Time{}, false
	}
	return fam.date()
}

func (l *endOfSupport) date() (time.Time, bool) {
	if l.y == 0 {
		return time.Time{}, false
	}
	return time.Date(l.y, time.Month(l.m), l.d, 0, 0, 0, 0, time.UTC), true
}

// EndOfLife reports whether v is a Windows release whose support ended
// before t: t is after the last day of [Version.EndOfSupport].
func (v Version) EndOfLife(t time.Time) bool {
	end, ok := v.EndOfSupport()
	return ok && !t.Before(end.AddDate(0, 0, 1))
}

// EndOfSupportOS is [Version.EndOfSupport] for an operating system named
// by a string: one [Version.AppendOS] wrote ("Windows 7 SP1 / Server 2008
// R2 (6.1.7601)"), a name [Version.Name] returns, or the native OS string
// of an SMB1 session setup ("Windows 5.1", "Windows Server 2003 3790
// Service Pack 2", "Windows 7 Professional 7601 Service Pack 1"): its
// version in parentheses decides, else a Windows build number in it that
// the table of builds knows, else the release it names (Windows NT, 2000,
// XP, Server 2003, Vista, 7, Server 2008, 8, 8.1, Server 2012, with or
// without R2). Other names (Windows 10 without a build, Samba, Linux, and
// "Windows 6.1", which Samba 4 servers write while Windows writes its
// product name from Vista on) give false. It allocates nothing.
func EndOfSupportOS(os []byte) (time.Time, bool) {
	if v, ok := parenVersion(os); ok {
		return v.EndOfSupport()
	}
	rest, ok := bytes.CutPrefix(os, []byte("Windows"))
	if !ok || (len(rest) > 0 && rest[0] != ' ') {
		return time.Time{}, false
	}
	// A build number the table knows: "... 7601 Service Pack 1".
	for i := 0; i < len(rest); {
		if !isDigit(rest[i]) {
			i++
			continue
		}
		j := i
		for j < len(rest) && isDigit(rest[j]) {
			j++
		}
		if n := j - i; n == 4 || n == 5 {
			if (i == 0 || rest[i-1] == ' ') && (j == len(rest) || rest[j] == ' ') {
				b := atoi(rest[i:j])
				for k := range builds {
					if bl := &builds[k]; int(bl.build) == b {
						return Version{Major: bl.major, Minor: bl.minor, Build: bl.build}.EndOfSupport()
					}
				}
			}
		}
		i = j
	}
	// The releases it names; the latest end when it names several
	// ("Windows 7 or 8").
	var end time.Time
	found := false
	for _, n := range releaseNames {
		if !hasWord(rest, n.name) {
			continue
		}
		if t, ok := (Version{Major: n.major, Minor: n.minor, Build: anyBuild - 1}).EndOfSupport(); ok && t.After(end) {
			end, found = t, true
		}
	}
	// Windows NT 4.0 (and 3.x) Server; not p0f's "Windows NT kernel",
	// which every release since 2000 is.
	if !found && (string(rest) == " NT" || hasWord(rest, "NT 4.0") || hasWord(rest, "NT 3.51") || hasWord(rest, "NT 3.5")) {
		return time.Date(2004, 12, 31, 0, 0, 0, 0, time.UTC), true
	}
	return end, found
}

// releaseNames map release names (as words after "Windows") to their
// family, whose entry of any build gives the date. Windows 2000 and XP
// write their version as a number ("Windows 5.1") and later releases their
// product name; "Windows 6.1" is what Samba 4 servers write, so 6.x
// numbers name nothing.
var releaseNames = [...]struct {
	name         string
	major, minor uint8
}{
	{"5.0", 5, 0}, {"2000", 5, 0},
	{"5.1", 5, 1}, {"XP x64", 5, 2}, {"XP", 5, 1},
	{"5.2", 5, 2}, {"Server 2003", 5, 2},
	{"Vista", 6, 0}, {"Server 2008 R2", 6, 1}, {"Server (R) 2008 R2", 6, 1},
	{"Server 2008", 6, 0}, {"Server (R) 2008", 6, 0},
	{"7", 6, 1},
	{"8.1", 6, 3}, {"Server 2012 R2", 6, 3},
	{"8", 6, 2}, {"Server 2012", 6, 2},
}

// hasWord reports whether s holds w between spaces (or its ends).
func hasWord(s []byte, w string) bool {
	for i := 0; i+len(w) <= len(s); i++ {
		if string(s[i:i+len(w)]) == w && (i == 0 || s[i-1] == ' ') && (i+len(w) == len(s) || s[i+len(w)] == ' ') {
			return true
		}
	}
	return false
}

// parenVersion reads the "(major.minor.build)" that ends an AppendOS
// string.
func parenVersion(s []byte) (Version, bool) {
	if len(s) < 7 || s[len(s)-1] != ')' {
		return Version{}, false
	}
	open := bytes.LastIndexByte(s, '(')
	if open < 0 {
		return Version{}, false
	}
	var n [3]int
	part, digits := 0, 0
	for _, c := range s[open+1 : len(s)-1] {
		switch {
		case isDigit(c) && digits < 5:
			n[part] = n[part]*10 + int(c-'0')
			digits++
		case c == '.' && digits > 0 && part < 2:
			part, digits = part+1, 0
		default:
			return Version{}, false
		}
	}
	if part != 2 || digits == 0 || n[0] > 255 || n[1] > 255 || n[2] > 65535 {
		return Version{}, false
	}
	return Version{Major: uint8(n[0]), Minor: uint8(n[1]), Build: uint16(n[2])}, true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}
