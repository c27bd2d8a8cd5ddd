-- The loan list pages newest first without sorting the whole book.
CREATE INDEX loan_contract_date ON loan (contract_date, contract_no);
