package intellivue

// Demographics is what a monitor exports about its patient. This is
// protected health information: the views point into the datagram and are
// valid as long as it; log presence or lengths, not values. Strings are
// UTF-16BE (see AppendUTF16) with trailing NULs trimmed.
type Demographics struct {
	GivenName, FamilyName []byte
	PatientID             []byte
	DOB                   []byte // AbsoluteTime: 8 bytes of BCD (century, year, month, day, hour, minute, second, sec fraction)
	HasSex, HasType       bool
	HasState              bool
	Sex                   Sex          // SexMale, SexFemale, ...
	Type                  PatientType  // PatientAdult, PatientPediatric, PatientNeonatal
	State                 PatientState // PatientAdmitted, ...
}

// Demographics collects the patient demographics attributes of an
// observation (polled with object class MOCDemog). The observation's
// attribute iterator is not advanced.
func (o Observation) Demographics() (Demographics, error) {
	var d Demographics
	it := o.Attrs
	for it.Next() {
		a := it.Attr()
		r := a.reader()
		switch a.ID {
		case AttrPatientGiven:
			d.GivenName = stringLabel(&r)
		case AttrPatientFamily:
			d.FamilyName = stringLabel(&r)
		case AttrPatientID:
			d.PatientID = stringLabel(&r)
		case AttrPatientDOB:
			d.DOB = r.bytes(8)
		case AttrPatientSex:
			d.Sex, d.HasSex = Sex(r.u16()), true
		case AttrPatientType:
			d.Type, d.HasType = PatientType(r.u16()), true
		case AttrPatientState:
			d.State, d.HasState = PatientState(r.u16()), true
		}
		if r.err != nil {
			return d, r.err
		}
	}
	return d, it.Err()
}
