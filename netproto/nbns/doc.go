// Package nbns parses NetBIOS name service messages (RFC 1001 and RFC
// 1002, UDP port 137): name registrations, refreshes and releases, name
// queries and their responses, and node status (NBSTAT) responses with a
// host's whole name table and its MAC address.
//
// NetBIOS name service messages are DNS messages (RFC 1002 §4.2.1) whose
// names carry a NetBIOS name in "first-level encoding": sixteen bytes,
// each split into two nibbles written as letters 'A' to 'P', in a label of
// 32 bytes, then an optional scope. The 16th byte, the suffix, says what
// the name is for (0x00 a workstation or, as a group, a workgroup; 0x20 a
// file server; 0x1B, 0x1C, 0x1D and 0x1E a domain's browsers and
// controllers): see [Suffix]. This package reads the message structure
// with [dnsmsg.Parser], so names, pointers and lengths get the same checks,
// and decodes the NetBIOS names and record data into values and views:
//
//	var p nbns.Parser
//	h, err := p.Start(msg)
//	for p.Next() {
//		if p.Section() == dnsmsg.SectionQuestion {
//			q := p.Question() // q.Name.Suffix(), q.Name.AppendTo(buf)
//			continue
//		}
//		r := p.Resource()
//		for nb := r.NB(); nb.Next(); { ... nb.Entry().Addr ... }
//	}
//	err = p.Err()
//
// Parsing allocates nothing; errors, returned only for malformed input,
// are [*Error] values that carry the byte offset in the message.
package nbns
