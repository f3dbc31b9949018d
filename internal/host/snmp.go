package host

// SNMP is the SNMP agents' configuration.
type SNMP struct{}

// snmp reads the SNMP agents' configuration.
func (b *builder) snmp() {}
