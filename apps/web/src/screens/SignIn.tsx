import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { useRef, type FormEvent } from 'react';
import { Navigate, useLocation } from 'react-router';
import { z } from 'zod';
import { useLogin } from '../api/auth';
import { errorMessage } from '../api/client';
import { homeFor, useSession } from '../auth/session';
import { usePageTitle } from '../lib/usePageTitle';

const validateSignIn = schemaResolver(
  z.object({
    email: z.string().refine((value) => value.trim() !== '', 'Enter your email address'),
    password: z.string().min(1, 'Enter your password'),
  }),
  { sync: true },
);

export function SignIn() {
  usePageTitle('Sign in');
  const { user, signIn, endedReason } = useSession();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;
  const form = useForm({ initialValues: { email: '', password: '' }, validate: validateSignIn });
  const login = useLogin();
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  if (user) return <Navigate to={from && from !== '/sign-in' ? from : homeFor(user)} replace />;

  // While the request is on its way the button is disabled, which drops its focus: after a refusal the
  // password is what to type again, and after a check that failed, the first field to fill in.
  const submit = (event: FormEvent<HTMLFormElement>) =>
    form.onSubmit(
      ({ email, password }) =>
        login.mutate(
          { email: email.trim(), password },
          {
            onSuccess: signIn,
            onError: () => {
              passwordRef.current?.focus();
              passwordRef.current?.select();
            },
          },
        ),
      (errors) => (errors.email ? emailRef : passwordRef).current?.focus(),
    )(event);

  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={420}>
        <form onSubmit={submit} noValidate aria-labelledby="sign-in-title">
          <Stack>
            <div>
              <Title order={1} id="sign-in-title" size="h2">
                Sign in to Imprimatur
              </Title>
              <Text c="dimmed" size="sm">
                For editors, Medical Advisory Board reviewers and admins.
              </Text>
            </div>
            {endedReason && !login.isError && (
              <Alert color="yellow" role="status">
                {endedReason}
              </Alert>
            )}
            {login.isError && (
              <Alert color="red" title="Could not sign in" role="alert">
                {errorMessage(login.error)}
              </Alert>
            )}
            <TextInput
              label="Email"
              type="email"
              autoComplete="username"
              required
              // The one thing to do on this screen: keyboard users start typing at once.
              autoFocus
              ref={emailRef}
              {...form.getInputProps('email')}
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              ref={passwordRef}
              {...form.getInputProps('password')}
            />
            <Button type="submit" loading={login.isPending}>
              Sign in
            </Button>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
