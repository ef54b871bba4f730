create table analist.regio_indeling as select * from regio_indeling;
