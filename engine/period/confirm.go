package period

import "rebill/engine/invoice"

// ActionConfirmFinal records the accountant's confirmation that a
// delivery's provisional data is final (ingest.Delivery.ConfirmFinal).
// Its entries name the delivery ("delivery:ID"), not a document.
const ActionConfirmFinal invoice.Action = "delivery_confirm_final"
