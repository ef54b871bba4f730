create table analist.school as select * from school;
