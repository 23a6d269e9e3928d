package intellivue

// Sniff reports whether data, one UDP datagram, is an IntelliVue data
// export message (SPpdu session 0xE100 and a remote operation whose headers
// [Parse] reads without error) or a connect indication. Association
// control messages start with a one-byte session SPDU identifier, too weak
// a signature to recognise without the port ([DataExportPort]): Sniff says
// no to them. It does not keep data, never allocates, and looks at no more
// than six bytes before it says no to anything else.
func Sniff(data []byte) bool {
	if len(data) < 6 || data[4] != 0 {
		return false
	}
	switch {
	case data[0] == 0xE1 && data[1] == 0x00:
		switch ROType(data[5]) {
		case ROInvoke, ROResult, ROError, ROLinkedResult:
			_, err := parseDataExport(reader{b: data, quiet: true})
			return err == nil
		}
	case data[0] == 0 && data[1] == 0:
		if data[5] != byte(ROInvoke) {
			return false
		}
		_, err := parseConnectIndication(reader{b: data, quiet: true})
		return err == nil
	}
	return false
}
