package ul_test

import (
	"fmt"

	"github.com/medtap/medtap/dicom"
	"github.com/medtap/medtap/dicom/ul"
)

// Read which equipment made an image from the C-STORE that carries it,
// without the rest of the dataset: the summary comes from its first bytes.
func ExampleObject() {
	const ex = dicom.ExplicitVRLittleEndian
	var store []byte
	store = dicom.AppendUint16s(store, dicom.ImplicitVRLittleEndian, 0x00000100, dicom.US, uint16(ul.CStoreRQ))
	store = dicom.AppendUint16s(store, dicom.ImplicitVRLittleEndian, 0x00000110, dicom.US, 1)
	store = dicom.AppendUint16s(store, dicom.ImplicitVRLittleEndian, 0x00000800, dicom.US, 0)
	var ds []byte
	ds = dicom.AppendString(ds, ex, 0x00080060, dicom.CS, "MR")
	ds = dicom.AppendString(ds, ex, 0x00080070, dicom.LO, "Philips Medical Systems")
	ds = dicom.AppendString(ds, ex, 0x00081010, dicom.SH, "PHILIPS-D6A9C8A")
	ds = dicom.AppendString(ds, ex, 0x00081090, dicom.LO, "Achieva")
	ds = dicom.AppendString(ds, ex, 0x00181000, dicom.LO, "17559")
	ds = dicom.AppendString(ds, ex, 0x00181020, dicom.LO, `2.6.1\2.6.1.0`)
	ds = dicom.AppendElement(ds, ex, 0x7FE00010, dicom.OW, make([]byte, 100000))

	var a ul.Association
	for _, pdus := range [][]byte{
		ul.AppendPData(nil, 1, ul.ControlCommand|ul.ControlLast, store),
		ul.AppendMessagePart(nil, 1, false, ds, 16384),
	} {
		a.Feed(ul.FromRequestor, pdus)
		for {
			ev, err := a.Next()
			if err == ul.ErrNeedMore {
				break
			}
			if err != nil {
				fmt.Println("error:", err)
				continue
			}
			o := &ev.Message.Object
			fmt.Printf("%s %s %s, software %s, serial %s, station %s\n", o.Modality, o.Manufacturer, o.ManufacturerModelName,
				o.SoftwareVersions, o.DeviceSerialNumber, o.StationName)
		}
	}
	// Output:
	// MR Philips Medical Systems Achieva, software 2.6.1\2.6.1.0, serial 17559, station PHILIPS-D6A9C8A
}
