package ingest

import (
	"rebill/engine/read"
	"rebill/engine/read/aggregate"
	"rebill/engine/read/azure"
	"rebill/engine/read/cur"
	"rebill/engine/read/dbr"
	"rebill/engine/read/focus"
	"rebill/engine/read/gcp"
	"rebill/engine/read/oci"
	"rebill/engine/read/partnercenter"
)

// Formats is the registry of the file formats Rebill reads: detecting a
// table's format, naming the closest format of an unknown file, the
// formats --format takes and the names the faces show all come from it. A
// new format family is one package under engine/read and one entry here.
var Formats = read.NewRegistry(cur.Family, dbr.Family, focus.Family, azure.Family, partnercenter.Family, gcp.Family, oci.Family, aggregate.Family)

// container is how the table's rows are written, as formats are told apart
// by it.
func (t *table) container() read.Container { return read.Container{Parquet: t.parquet, Sep: t.sep} }
