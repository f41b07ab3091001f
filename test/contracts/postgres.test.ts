import { describeRepositoryContract } from './repositories.contract.js';

describeRepositoryContract('postgres');
