package ul

// The Append functions build PDUs into the caller's buffer, for tests,
// tools and active peers. They write what they are given without checking it.

// AppendAssociate appends a whole A-ASSOCIATE-RQ or -AC PDU (a.Type) built
// from a: fixed fields, application context, presentation contexts (for an
// RQ with abstract and transfer syntaxes, for an AC with the result and the
// first transfer syntax), and the user information sub-items that are set.
// Unknown items are not written.
func AppendAssociate(dst []byte, a *Associate) []byte {
	start := len(dst)
	dst = AppendPDUHeader(dst, a.Type, 0)
	dst = append(dst, byte(a.ProtocolVersion>>8), byte(a.ProtocolVersion), 0, 0)
	dst = appendPadded(dst, a.CalledAE, 16)
	dst = appendPadded(dst, a.CallingAE, 16)
	dst = append(dst, make([]byte, 32)...)
	dst = appendItem(dst, ItemApplicationContext, a.ApplicationContext)
	for i := range a.Contexts {
		pc := &a.Contexts[i]
		t := ItemPresentationRQ
		if a.Type == TypeAssociateAC {
			t = ItemPresentationAC
		}
		is := len(dst)
		dst = append(dst, byte(t), 0, 0, 0, pc.ID, 0, byte(pc.Result), 0)
		if a.Type == TypeAssociateRQ {
			dst = appendItem(dst, ItemAbstractSyntax, pc.AbstractSyntax)
			for _, ts := range pc.TransferSyntaxes {
				dst = appendItem(dst, ItemTransferSyntax, ts)
			}
		} else if len(pc.TransferSyntaxes) > 0 {
			dst = appendItem(dst, ItemTransferSyntax, pc.TransferSyntaxes[0])
		}
		putLen16(dst[is+2:], len(dst)-is-4)
	}
	u := &a.UserInfo
	is := len(dst)
	dst = append(dst, byte(ItemUserInformation), 0, 0, 0)
	if u.HasMaxLength {
		m := u.MaxLength
		dst = appendItem(dst, ItemMaxLength, []byte{byte(m >> 24), byte(m >> 16), byte(m >> 8), byte(m)})
	}
	if u.ImplementationClassUID != nil {
		dst = appendItem(dst, ItemImplementationClass, u.ImplementationClassUID)
	}
	if u.HasAsyncOps {
		dst = appendItem(dst, ItemAsyncOps, []byte{byte(u.MaxOpsInvoked >> 8), byte(u.MaxOpsInvoked), byte(u.MaxOpsPerformed >> 8), byte(u.MaxOpsPerformed)})
	}
	for _, r := range u.Roles {
		s := len(dst)
		dst = append(dst, byte(ItemRoleSelection), 0, 0, 0)
		dst = appendLen16(dst, r.SOPClass)
		dst = append(dst, byte(r.SCU), byte(r.SCP))
		putLen16(dst[s+2:], len(dst)-s-4)
	}
	if u.ImplementationVersionName != nil {
		dst = appendItem(dst, ItemImplementationVer, u.ImplementationVersionName)
	}
	for _, e := range u.Extended {
		s := len(dst)
		dst = append(dst, byte(ItemExtendedNegotiation), 0, 0, 0)
		dst = appendLen16(dst, e.SOPClass)
		dst = append(dst, e.Info...)
		putLen16(dst[s+2:], len(dst)-s-4)
	}
	for _, e := range u.CommonExtended {
		s := len(dst)
		dst = append(dst, byte(ItemCommonExtended), 0, 0, 0)
		dst = appendLen16(dst, e.SOPClass)
		dst = appendLen16(dst, e.ServiceClass)
		dst = appendLen16(dst, e.RelatedGeneral)
		putLen16(dst[s+2:], len(dst)-s-4)
	}
	if id := &u.Identity; id.Present {
		s := len(dst)
		if a.Type == TypeAssociateRQ {
			pr := byte(0)
			if id.PositiveResponse {
				pr = 1
			}
			dst = append(dst, byte(ItemUserIdentityRQ), 0, 0, 0, byte(id.Type), pr)
			dst = appendLen16(dst, id.Primary)
			dst = appendLen16(dst, id.Secondary)
		} else {
			dst = append(dst, byte(ItemUserIdentityAC), 0, 0, 0)
			dst = appendLen16(dst, id.ServerResponse)
		}
		putLen16(dst[s+2:], len(dst)-s-4)
	}
	putLen16(dst[is+2:], len(dst)-is-4)
	n := uint32(len(dst) - start - HeaderLen)
	dst[start+2], dst[start+3], dst[start+4], dst[start+5] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	return dst
}

// AppendPData appends a P-DATA-TF PDU holding one PDV with the given
// presentation context, message control header and value.
func AppendPData(dst []byte, contextID uint8, control Control, value []byte) []byte {
	n := uint32(len(value) + 2)
	dst = AppendPDUHeader(dst, TypePDataTF, n+4)
	dst = append(dst, byte(n>>24), byte(n>>16), byte(n>>8), byte(n), contextID, byte(control))
	return append(dst, value...)
}

// AppendReject appends an A-ASSOCIATE-RJ PDU.
func AppendReject(dst []byte, r Reject) []byte {
	dst = AppendPDUHeader(dst, TypeAssociateRJ, 4)
	return append(dst, 0, byte(r.Result), byte(r.Source), byte(r.Reason))
}

// AppendAbort appends an A-ABORT PDU.
func AppendAbort(dst []byte, a Abort) []byte {
	dst = AppendPDUHeader(dst, TypeAbort, 4)
	return append(dst, 0, 0, byte(a.Source), byte(a.Reason))
}

// AppendRelease appends an A-RELEASE-RQ (t = TypeReleaseRQ) or -RP PDU.
func AppendRelease(dst []byte, t Type) []byte {
	dst = AppendPDUHeader(dst, t, 4)
	return append(dst, 0, 0, 0, 0)
}

func appendItem(dst []byte, t ItemType, v []byte) []byte {
	dst = append(dst, byte(t), 0, byte(len(v)>>8), byte(len(v)))
	return append(dst, v...)
}

func appendLen16(dst, v []byte) []byte {
	dst = append(dst, byte(len(v)>>8), byte(len(v)))
	return append(dst, v...)
}

func putLen16(b []byte, n int) { b[0], b[1] = byte(n>>8), byte(n) }

func appendPadded(dst, v []byte, n int) []byte {
	v = v[:min(len(v), n)]
	dst = append(dst, v...)
	for i := len(v); i < n; i++ {
		dst = append(dst, ' ')
	}
	return dst
}

// AppendMessagePart appends a command set (command true) or a dataset as
// P-DATA-TF PDUs of at most maxPDU bytes of PDU body (0: one PDU), one PDV
// each, the last with the last-fragment bit.
func AppendMessagePart(dst []byte, contextID uint8, command bool, value []byte, maxPDU int) []byte {
	ctl := Control(0)
	if command {
		ctl = ControlCommand
	}
	max := len(value)
	if maxPDU > 6 && maxPDU-6 < max {
		max = maxPDU - 6
	}
	for {
		n := min(max, len(value))
		c := ctl
		if n == len(value) {
			c |= ControlLast
		}
		dst = AppendPData(dst, contextID, c, value[:n])
		value = value[n:]
		if len(value) == 0 {
			return dst
		}
	}
}
