import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AnyStaff, AuthUser, CurrentUser, Roles } from '../http/access';
import { ApiSignedIn } from '../http/api-errors';
import { PageQuery } from '../http/pagination';
import { uuidPipe } from '../http/validation';
import { CreateUserDto, UpdateUserDto, UserDto, UserPageDto } from './user.dto';
import { UsersService } from './users.service';

@ApiTags('people')
@Controller('users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a user (admin)' })
  @ApiCreatedResponse({ type: UserDto })
  @ApiSignedIn(400, 409, 413)
  async create(@CurrentUser() actor: AuthUser, @Body() body: CreateUserDto): Promise<UserDto> {
    return UserDto.of(await this.users.create(actor, body));
  }

  @Get()
  @ApiOperation({ summary: 'List users, oldest first (admin)' })
  @ApiOkResponse({ type: UserPageDto })
  @ApiSignedIn(400)
  async list(@Query() query: PageQuery): Promise<UserPageDto> {
    const page = await this.users.list(query.limit, query.cursor);
    return { items: page.items.map((u) => UserDto.of(u)), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a user (admin)' })
  @ApiOkResponse({ type: UserDto })
  @ApiSignedIn(400, 404)
  async get(@Param('id', uuidPipe()) id: string): Promise<UserDto> {
    return UserDto.of(await this.users.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a user; active=false deactivates them at once (admin)' })
  @ApiOkResponse({ type: UserDto })
  @ApiSignedIn(400, 404, 413)
  async update(
    @CurrentUser() actor: AuthUser,
    @Param('id', uuidPipe()) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserDto> {
    return UserDto.of(await this.users.update(actor, id, body));
  }
}

@ApiTags('people')
@Controller('me')
export class MeController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @AnyStaff()
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserDto })
  @ApiSignedIn()
  async me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return UserDto.of(await this.users.get(user.id));
  }
}
