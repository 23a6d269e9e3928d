package astm

// MaxFrameText is the most text E1381 puts in one frame; longer records are
// split into intermediate frames.
const MaxFrameText = 240

const hexDigits = "0123456789ABCDEF"

// AppendFrame appends one E1381 frame to dst: STX, the frame number (taken
// modulo 8), text, ETX if final or ETB if not, the two-digit checksum and CR
// LF.
func AppendFrame(dst []byte, number int, text []byte, final bool) []byte {
	fn := byte('0' + number&7)
	end := ETB
	if final {
		end = ETX
	}
	sum := fn + end
	for _, c := range text {
		sum += c
	}
	dst = append(dst, STX, fn)
	dst = append(dst, text...)
	return append(dst, end, hexDigits[sum>>4], hexDigits[sum&15], CR, LF)
}

// AppendFrames appends text (one record with its CR, or several) as frames
// numbered from number: intermediate frames of maxText bytes (0 means
// [MaxFrameText]) and a final one. It returns the extended buffer and the
// number of the next frame.
func AppendFrames(dst []byte, number int, text []byte, maxText int) ([]byte, int) {
	if maxText <= 0 {
		maxText = MaxFrameText
	}
	for len(text) > maxText {
		dst = AppendFrame(dst, number, text[:maxText], false)
		text = text[maxText:]
		number = (number + 1) & 7
	}
	dst = AppendFrame(dst, number, text, true)
	return dst, (number + 1) & 7
}
