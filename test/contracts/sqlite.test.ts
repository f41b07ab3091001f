import { describeInboxLeaseContract } from './inbox-leases.contract.js';
import { describeOutboxContract } from './outbox.contract.js';
import { describePaymentsContract } from './payments.contract.js';
import { describeRepositoryContract } from './repositories.contract.js';
import { describeTurnContract } from './turns.contract.js';

describeRepositoryContract('sqlite');
describeTurnContract('sqlite');
describeInboxLeaseContract('sqlite');
describeOutboxContract('sqlite');
describePaymentsContract('sqlite');
