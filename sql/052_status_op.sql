-- Every member of the population (a person in any delivery known on
-- bekend_op) with what the rules say of them on d. The figures count these
-- flags; none of them restates a rule (status_per_dag holds them).
create or replace macro status_op(d, bekend_op := NULL) as table
select * exclude (dag)
from status_per_dag(d, d, bekend_op := bekend_op);
