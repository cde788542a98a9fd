// Every audit the tests run holds each check to the rules it declares and to their kinds
// (src/audit/engine.ts): a check reporting anything else fails the test that ran it.
process.env.SEAWORTHY_STRICT_CHECKS = '1';
