import { describeRepositoryContract } from './repositories.contract.js';

describeRepositoryContract('sqlite');
