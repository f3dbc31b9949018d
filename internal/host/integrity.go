package host

// Integrity is filled in by the integrity builder.
type Integrity struct{}

// integrity builds Facts.Integrity.
func (b *builder) integrity() { b.f.Integrity = &Integrity{} }
