package ntlmssp

import "strconv"

// Version is the VERSION structure of MS-NLMP 2.2.2.10: the sender's
// Windows version (as GetVersionEx reports it) and NTLM revision.
type Version struct {
	Major, Minor uint8
	Build        uint16
	Revision     uint8 // NTLMRevisionCurrent: 15 (NTLMSSP_REVISION_W2K3) in every current implementation
}

// IsZero reports whether v is the zero Version: the message carried none.
func (v Version) IsZero() bool { return v == Version{} }

// AppendTo appends "major.minor.build" to dst, such as "6.1.7601".
func (v Version) AppendTo(dst []byte) []byte {
	dst = strconv.AppendUint(dst, uint64(v.Major), 10)
	dst = append(dst, '.')
	dst = strconv.AppendUint(dst, uint64(v.Minor), 10)
	dst = append(dst, '.')
	return strconv.AppendUint(dst, uint64(v.Build), 10)
}

// String returns "major.minor.build".
func (v Version) String() string { return string(v.AppendTo(nil)) }

// Name returns the name of the operating system v stands for: the release
// of its exact build in the table of Windows builds ("Windows 7 SP1 / Server
// 2008 R2" for 6.1.7601, "Samba" for the 6.1.0 Samba sends), otherwise the
// family of its major and minor version ("Windows 10 / 11 / Server 2016 or
// later" for 10.0 with a build not in the table), or "" when the major and
// minor version are not Windows'.
func (v Version) Name() string {
	for i := range builds {
		if b := &builds[i]; b.major == v.Major && b.minor == v.Minor && b.build == v.Build {
			return b.name
		}
	}
	for i := range families {
		if f := &families[i]; f.major == v.Major && f.minor == v.Minor {
			return f.name
		}
	}
	return ""
}

// AppendOS appends the name of the operating system followed by the version
// in parentheses, such as "Windows 7 SP1 / Server 2008 R2 (6.1.7601)", or
// "unknown (12.0.1)" when [Version.Name] knows none. It allocates nothing
// when dst has room.
func (v Version) AppendOS(dst []byte) []byte {
	name := v.Name()
	if name == "" {
		name = "unknown"
	}
	dst = append(dst, name...)
	dst = append(dst, " ("...)
	return append(v.AppendTo(dst), ')')
}

// OS returns what AppendOS appends; it allocates.
func (v Version) OS() string { return string(v.AppendOS(nil)) }
