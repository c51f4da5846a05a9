import { UserEntity } from './user.entity';

export { UserEntity };
export const ENTITIES = [UserEntity];
