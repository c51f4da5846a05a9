import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../http/access';
import { ApiErrors } from '../http/api-errors';
import { UserDto } from '../users/user.dto';
import { LoginDto, LoginResponseDto } from './auth.dto';
import { AuthService } from './auth.service';

@ApiTags('people')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Sign in with email and password',
    description:
      'Failed logins are limited per account and per client address; over the limit the answer is 429 with Retry-After.',
  })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrors(400, 401, 413, 429)
  async login(@Body() body: LoginDto, @Ip() address: string): Promise<LoginResponseDto> {
    const result = await this.auth.login(body.email, body.password, address);
    return { ...result, user: UserDto.of(result.user) };
  }
}
