package lineitem

import "testing"

func TestARNAccount(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:ec2:us-east-1:836060457634:reserved-instances/abc": "836060457634",
		"arn:aws:savingsplans::305417826390:savingsplan/9e2b7d41":   "305417826390",
		"arn:aws:rds:eu-west-1:011254002932:ri:my-reservation":      "011254002932",
		"arn:aws:ec2:us-east-1:836060457634":                        "836060457634",
		"":                                                          "",
		"not an arn":                                                "",
		"arn:aws:ec2:us-east-1":                                     "",
	} {
		if got := ARNAccount(arn); got != want {
			t.Errorf("ARNAccount(%q) = %q, want %q", arn, got, want)
		}
	}
}
