"""Layer 2, analysis: pure functions over the model that rules and outputs share:
addresses and security groups (`net`), load balancers and AZs (`lbaz`), IAM policies
(`policy`), prices and estimates (`cost`), the connectivity decision (`decide`)."""
